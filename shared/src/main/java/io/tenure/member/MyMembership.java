package io.tenure.member;

import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import java.time.Instant;
import java.util.Map;

/** One of the caller's memberships, as {@code GET /me} shows it. */
public record MyMembership(String orgId, String orgName, String orgSlug, String memberId, OrgRole orgRole,
                           Map<String, ProjectRole> projects, Instant accessEndsAt, Instant acceptedAt) {
}
