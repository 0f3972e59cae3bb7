package io.tenure.identity;

import java.time.Instant;

/** A project API key as shown to admins (SPEC §1): never its secret, only its first 8 characters. */
public record ApiKey(String id, String orgId, String projectId, String name, String prefix, boolean revoked,
                     Instant createdAt, String createdBy) {
}
