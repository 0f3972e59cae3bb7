package io.tenure.org;

import java.time.Instant;

/** A project of an org (SPEC §1). Archived projects cannot be granted in new invitations. */
public record Project(String id, String orgId, String name, String environment, String platform, boolean archived,
                      ProjectSettings settings, Instant createdAt, Instant updatedAt, long version) {
    public Project {
        settings = settings == null ? ProjectSettings.defaults() : settings;
    }
}
