package io.tenure.invitation;

import io.tenure.error.TenureException;

/** The address already belongs to an active member of this org. */
public final class AlreadyMemberException extends TenureException {
    private static final int STATUS = 409;
    private static final String CODE = "already_member";
    private static final String TITLE = "Already a member";

    private final String memberId;

    public AlreadyMemberException(String memberId) {
        super(STATUS, CODE, TITLE, "This address is already an active member of the organization.");
        this.memberId = memberId;
    }

    public String memberId() {
        return memberId;
    }

    @Override
    public java.util.Map<String, Object> extensions() {
        return memberId == null ? java.util.Map.of() : java.util.Map.of("memberId", memberId);
    }
}
