package io.tenure.invitation;

import java.util.List;

/** A created invitation (as read now) and the warnings the admin should see. */
public record InviteResult(Invitation invitation, List<Warning> warnings) {
}
