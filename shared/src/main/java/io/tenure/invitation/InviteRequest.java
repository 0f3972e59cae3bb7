package io.tenure.invitation;

import io.tenure.value.InvitationNote;
import io.tenure.value.OrgRole;

import java.time.Instant;
import java.util.List;

/**
 * A validated invitation request: every rule of SPEC §5 holds, and {@link #warnings} lists what
 * the admin should hear about but does not block the invitation.
 */
public record InviteRequest(
        String email,
        String emailKey,
        OrgRole orgRole,
        List<ProjectGrant> projects,
        InvitationNote note,
        Instant accessEndsAt,
        int expiresInDays,
        List<String> stakeholders,
        boolean replaceExisting,
        List<Warning> warnings) {
}
