package io.tenure.member;

import java.time.Instant;
import java.util.Map;

/** One of the caller's memberships, as {@code GET /me} shows it. */
public record MyMembership(String orgId, String orgName, String orgSlug, String memberId, String orgRole,
                           Map<String, String> projects, Instant accessEndsAt, Instant acceptedAt) {
}
