package io.tenure.invitation;

import io.tenure.error.TenureException;

/** The address already belongs to an active member of this org. */
public final class AlreadyMemberException extends TenureException {
    private final String memberId;

    public AlreadyMemberException(String memberId) {
        super("This address is already an active member of the organization.");
        this.memberId = memberId;
    }

    public String memberId() {
        return memberId;
    }
}
