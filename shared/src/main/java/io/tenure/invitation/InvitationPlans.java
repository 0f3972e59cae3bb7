package io.tenure.invitation;

import io.tenure.json.Json;
import io.tenure.schedule.DueItems;
import io.tenure.schedule.DueKind;
import io.tenure.store.Write;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of an invitation's steps a change makes due (SPEC §6), as writes to commit with that
 * change: the 72-hour nudge and the expiry.
 */
public final class InvitationPlans {
    static final Duration NUDGE_AFTER = Duration.ofHours(72);

    private final DueItems due;

    public InvitationPlans(DueItems due) {
        this.due = due;
    }

    /** A new invitation: nudge at 72 h (if it is still pending then), expiry at expiresAt. */
    public List<Write> created(Invitation invitation) {
        var payload = Json.tree(InvitationDue.of(invitation));
        List<Write> items = new ArrayList<>();
        if (invitation.createdAt().plus(NUDGE_AFTER).isBefore(invitation.expiresAt())) {
            items.add(due.put(DueKind.INVITE_NUDGE, invitation.orgId(), invitation.id(), invitation.createdAt().plus(NUDGE_AFTER), payload));
        }
        items.add(due.put(DueKind.INVITE_EXPIRY, invitation.orgId(), invitation.id(), invitation.expiresAt(), payload));
        return items;
    }

    /** A resent invitation: its expiry moves to the new expiresAt. */
    public Write resent(Invitation invitation) {
        return due.put(DueKind.INVITE_EXPIRY, invitation.orgId(), invitation.id(), invitation.expiresAt(),
                Json.tree(InvitationDue.of(invitation)));
    }

    /**
     * An invitation sent to a corrected address: its steps carry the new address. The nudge is
     * planned again only while it is still ahead (one already run is not run twice).
     */
    public List<Write> corrected(Invitation invitation, Instant now) {
        var payload = Json.tree(InvitationDue.of(invitation));
        List<Write> items = new ArrayList<>();
        Instant nudgeAt = invitation.createdAt().plus(NUDGE_AFTER);
        if (nudgeAt.isAfter(now) && nudgeAt.isBefore(invitation.expiresAt())) {
            items.add(due.put(DueKind.INVITE_NUDGE, invitation.orgId(), invitation.id(), nudgeAt, payload));
        }
        items.add(due.put(DueKind.INVITE_EXPIRY, invitation.orgId(), invitation.id(), invitation.expiresAt(), payload));
        return items;
    }

    /** An invitation that was accepted or revoked: nothing more happens to it. */
    public List<Write> closed(String orgId, String invitationId) {
        return List.of(due.cancel(DueKind.INVITE_NUDGE, orgId, invitationId), due.cancel(DueKind.INVITE_EXPIRY, orgId, invitationId));
    }
}
