package io.tenure.invitation;

import io.tenure.error.NotFoundException;
import io.tenure.error.ValidationFailedException;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.store.Page;
import io.tenure.value.InvitationStatus;
import java.time.Clock;

/** Reading invitations (SPEC §3): one, or a page by status. Never the token or its hash. */
public final class InvitationQueries {
    private final InvitationStore store;
    private final MemberAccess access;
    private final Clock clock;

    public InvitationQueries(InvitationStore store, MemberAccess access, Clock clock) {
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    /** One invitation as read now (an expired one reads as expired). Never the token. */
    public Invitation get(Caller caller, String orgId, String invitationId) {
        access.requireAdmin(caller, orgId);
        return store.find(orgId, invitationId).orElseThrow(NotFoundException::new).asOf(clock.instant());
    }

    /** A page of the org's invitations of one status, newest first. */
    public Page<Invitation> list(Caller caller, String orgId, String status, int limit, String cursor) {
        return list(caller, orgId, status, null, limit, cursor);
    }

    /**
     * A page of the org's invitations of one status and, unless {@code delivery} is null, whose
     * latest email is in that delivery state (as read now: a send cut short reads unconfirmed).
     */
    public Page<Invitation> list(Caller caller, String orgId, String status, String delivery, int limit, String cursor) {
        access.requireAdmin(caller, orgId);
        InvitationStatus wanted = null; // "all"
        if (status == null) {
            wanted = InvitationStatus.PENDING;
        } else if (!"all".equals(status)) {
            wanted = InvitationStatus.find(status).orElseThrow(() ->
                    ValidationFailedException.of("/status", "must be pending, accepted, expired, revoked or all"));
        }
        Delivery.Status wantedDelivery = null;
        if (delivery != null) {
            wantedDelivery = Delivery.Status.find(delivery).orElseThrow(() -> ValidationFailedException.of("/delivery",
                            "must be sending, sent, delivered, delayed, failed, bounced, complained or unconfirmed"));
        }
        return store.list(orgId, wanted, wantedDelivery, clock.instant(), limit, Page.decodeCursor(cursor));
    }

}
