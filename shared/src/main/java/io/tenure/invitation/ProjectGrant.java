package io.tenure.invitation;

/** One project and the role the collaborator gets on it. */
public record ProjectGrant(String projectId, String role) {
}
