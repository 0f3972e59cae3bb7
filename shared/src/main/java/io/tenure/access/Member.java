package io.tenure.access;

import io.tenure.value.InvitationNote;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A person's access to one org (SPEC §1).
 *
 * @param projects projectId to project role (manager, analyst, viewer)
 */
public record Member(
        String id,
        String orgId,
        String email,
        String emailKey,
        String orgRole,
        Map<String, String> projects,
        Instant accessEndsAt,
        List<String> stakeholders,
        InvitationNote note,
        String invitedBy,
        String invitationId,
        Instant acceptedAt,
        Instant lastActiveAt,
        String status,
        Instant createdAt,
        Instant updatedAt,
        long version) {
}
