package io.tenure.member;

import java.util.List;

/** The caller and every org they are an active member of. */
public record Me(String sub, String email, List<MyMembership> memberships) {
}
