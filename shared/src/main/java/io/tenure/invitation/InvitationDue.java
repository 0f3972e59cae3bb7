package io.tenure.invitation;

/**
 * What an invitation's due steps (nudge, expiry) carry, so a run reads nothing else to write
 * their emails. Stored as the due item's payload, under these JSON names.
 */
public record InvitationDue(String invitationId, String email, String inviterEmail, String expiresAt, String lastSentAt) {
    static InvitationDue of(Invitation invitation) {
        return new InvitationDue(invitation.id(), invitation.email(),
                invitation.createdBy() == null ? null : invitation.createdBy().email(),
                invitation.expiresAt().toString(), invitation.lastSentAt().toString());
    }
}
