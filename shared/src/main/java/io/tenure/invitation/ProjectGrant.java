package io.tenure.invitation;

import io.tenure.value.ProjectRole;

/** One project and the role the collaborator gets on it. */
public record ProjectGrant(String projectId, ProjectRole role) {
}
