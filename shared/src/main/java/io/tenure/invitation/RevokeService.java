package io.tenure.invitation;

import io.tenure.value.InvitationStatus;
import io.tenure.store.Write;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.InvalidStateException;
import io.tenure.error.NotFoundException;
import io.tenure.id.Ids;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.store.Found;
import io.tenure.store.Read;
import io.tenure.store.WriteOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Withdrawing invitations (SPEC §5). */
public final class RevokeService {
    private final InvitationStore store;
    private final OrgStore orgs;
    private final MemberAccess access;
    private final AuditLog audit;
    private final Clock clock;
    private final Ids ids;
    private final InvitationPlans plans;

    public RevokeService(InvitationStore store, OrgStore orgs, MemberAccess access, AuditLog audit, Clock clock) {
        this.store = store;
        this.orgs = orgs;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.ids = new Ids(clock);
        this.plans = new InvitationPlans(store.dueItems());
    }

    /**
     * Revokes (SPEC §5): pending or expired becomes revoked and its link stops working; revoking a
     * revoked invitation changes nothing; an accepted one is 409 {@code invalid_state}.
     */
    public void revoke(Caller caller, String orgId, String invitationId, RequestOrigin origin) {
        // The caller's guard, the org and the invitation: one request.
        Read<MemberStore.Guard> guard = access.guardRead(caller, orgId);
        Read<Organization> orgRead = orgs.findRead(orgId);
        Read<Invitation> invitationRead = store.findRead(orgId, invitationId);
        Found found = store.read(guard, orgRead, invitationRead);
        access.requireAdmin(caller, orgId, found.get(guard));
        Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
        Optional<Invitation> read = found.get(invitationRead);
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            Invitation current = read.orElseThrow(NotFoundException::new).asOf(now);
            if (current.is(InvitationStatus.REVOKED)) {
                return;
            }
            if (current.is(InvitationStatus.ACCEPTED)) {
                throw new InvalidStateException("This invitation was accepted; remove the member instead.");
            }
            List<Write> items = new java.util.ArrayList<>();
            items.add(store.revoke(current, now));
            // A pending invitation holds its address. An expired one's address may be held by a
            // newer invitation: leave that hold alone. If this one holds it (or no one does), free
            // it; a hold taken meanwhile fails the condition and the next attempt reads again.
            boolean heldByAnother = !current.is(InvitationStatus.PENDING) && store.pendingHold(orgId, current.emailKey())
                    .filter(hold -> !invitationId.equals(hold.invitationId())).isPresent();
            if (!heldByAnother) {
                items.add(store.releasePending(orgId, current.emailKey(), invitationId));
            }
            items.addAll(List.of(
                    audit.put(AuditEvent.of(ids.audit(), orgId, now, Actor.user(caller.sub(), caller.email()), "invitation.revoked",
                            AuditEvent.Target.invitation(invitationId))
                            .withChange("status", current.status().json(), InvitationStatus.REVOKED.json()).from(origin),
                            org.settings().auditRetentionDays())));
            items.addAll(plans.closed(orgId, invitationId));
            WriteOutcome outcome = store.commit(items);
            if (outcome.committed()) {
                return;
            }
            if (attempt >= 3) {
                throw new InvalidStateException("The invitation changed while it was being revoked; try again.");
            }
            read = store.find(orgId, invitationId);
        }
    }
}
