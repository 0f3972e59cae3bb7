package io.tenure.invitation;

import java.util.List;

/**
 * A created invitation (as read now) and the warnings the admin should see; or, when the org's
 * two-person rule applies to it, the {@code request} it became instead (no invitation yet).
 */
public record InviteResult(Invitation invitation, List<Warning> warnings, InvitationRequest request) {
    public InviteResult(Invitation invitation, List<Warning> warnings) {
        this(invitation, warnings, null);
    }

    /** Whether it waits for another admin's approval. */
    public boolean awaitsApproval() {
        return request != null;
    }
}
