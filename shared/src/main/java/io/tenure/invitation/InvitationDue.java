package io.tenure.invitation;

/**
 * What an invitation's due steps (nudge, expiry) carry: the addresses and dates of their emails.
 * The expiry needs nothing else of the invitation (its conditional write checks the state); the
 * nudge reads the invitation, whose delivery and status may have changed since it was planned.
 * Stored as the due item's payload, under these JSON names.
 */
public record InvitationDue(String invitationId, String email, String inviterEmail, String expiresAt, String lastSentAt) {
    static InvitationDue of(Invitation invitation) {
        return new InvitationDue(invitation.id(), invitation.email(),
                invitation.createdBy() == null ? null : invitation.createdBy().email(),
                invitation.expiresAt().toString(), invitation.lastSentAt().toString());
    }
}
