package io.tenure.invitation;

import io.tenure.error.TenureException;

/** The address already has a pending invitation in this org. */
public final class InvitationPendingException extends TenureException {
    private final String invitationId;

    public InvitationPendingException(String invitationId) {
        super("This address already has a pending invitation. Resend it, or invite again with replaceExisting: true.");
        this.invitationId = invitationId;
    }

    public String invitationId() {
        return invitationId;
    }
}
