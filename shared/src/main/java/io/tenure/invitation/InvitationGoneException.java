package io.tenure.invitation;

import io.tenure.error.TenureException;

/**
 * The link can no longer be used (410): the invitation expired (or its link was replaced by a
 * resend), was revoked (or its inviter no longer has access, or it went to a corrected address),
 * or was already used. {@link #reason()} says which.
 */
public final class InvitationGoneException extends TenureException {
    /** Why a link stopped working. */
    public enum Reason { EXPIRED, REPLACED, REVOKED, INVITER_GONE, USED, READDRESSED }

    private final Reason reason;

    public InvitationGoneException(Reason reason) {
        super(410, codeFor(reason), "Invitation no longer usable", switch (reason) {
            case EXPIRED -> "This invitation has expired. Ask the person who invited you to send a new link.";
            case REPLACED -> "This link was replaced by a newer one. Use the most recent invitation email, or ask for a new link.";
            case REVOKED -> "This invitation was withdrawn. Ask the person who invited you if you still need access.";
            case INVITER_GONE -> "The person who sent this invitation no longer has access to the organization, so it was"
                    + " withdrawn. Ask another admin of the organization to invite you again.";
            case USED -> "This invitation was already accepted. Sign in to the organization instead.";
            case READDRESSED -> "This invitation was sent to another address instead. If it was meant for you, ask the person who invited you.";
        });
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The problem code of SPEC §4. */
    private static String codeFor(Reason reason) {
        return switch (reason) {
            case EXPIRED, REPLACED -> "invitation_expired";
            case REVOKED, INVITER_GONE, READDRESSED -> "invitation_revoked";
            case USED -> "invitation_used";
        };
    }
}
