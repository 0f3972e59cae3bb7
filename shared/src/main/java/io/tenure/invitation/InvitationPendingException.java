package io.tenure.invitation;

import io.tenure.error.TenureException;

/** The address already has a pending invitation in this org. */
public final class InvitationPendingException extends TenureException {
    private static final int STATUS = 409;
    private static final String CODE = "invitation_pending";
    private static final String TITLE = "Invitation pending";

    private final String invitationId;

    public InvitationPendingException(String invitationId) {
        this(invitationId, "This address already has a pending invitation. Resend it, or invite again with replaceExisting: true.");
    }

    /** With {@code detail} saying what to do where {@code replaceExisting} does not apply (an address correction). */
    public InvitationPendingException(String invitationId, String detail) {
        super(STATUS, CODE, TITLE, detail);
        this.invitationId = invitationId;
    }

    public String invitationId() {
        return invitationId;
    }

    @Override
    public java.util.Map<String, Object> extensions() {
        return invitationId == null ? java.util.Map.of() : java.util.Map.of("invitationId", invitationId);
    }
}
