package io.tenure.org;

import java.time.Instant;

/** An organization (SPEC §1). */
public record Organization(String id, String name, String slug, OrgSettings settings,
                           Instant createdAt, Instant updatedAt, long version) {
}
