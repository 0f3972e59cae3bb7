package io.tenure.member;

import io.tenure.error.TenureException;

/**
 * A check-in link that can no longer act (410): the check-in was already answered, its links
 * expired (or a newer email replaced them), or there is nothing left to decide (the member no
 * longer has access, or the inviter no longer does). {@link #reason()} says which.
 */
public final class CheckinGoneException extends TenureException {
    /** Why a check-in link stopped working. */
    public enum Reason { ANSWERED, EXPIRED, REPLACED, MEMBER_GONE, INVITER_GONE }

    private final Reason reason;

    public CheckinGoneException(Reason reason) {
        super(410, codeFor(reason), "Check-in no longer open", switch (reason) {
            case ANSWERED -> "This check-in was already answered. Nothing more was changed.";
            case EXPIRED -> "The links of this check-in have expired. Manage the member in the admin console instead.";
            case REPLACED -> "This link was replaced by a newer check-in email. Use the most recent one.";
            case MEMBER_GONE -> "This member no longer has access to the organization, so there is nothing to decide.";
            case INVITER_GONE -> "You no longer have access to the organization, so this check-in can no longer be"
                    + " answered with your link. An admin of the organization can manage the member.";
        });
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The problem code (SPEC §4 style): answered, expired (or replaced), or closed. */
    private static String codeFor(Reason reason) {
        return switch (reason) {
            case ANSWERED -> "checkin_answered";
            case EXPIRED, REPLACED -> "checkin_expired";
            case MEMBER_GONE, INVITER_GONE -> "checkin_closed";
        };
    }
}
