package io.tenure.invitation;

import io.tenure.value.InvitationStatus;
import io.tenure.value.EmailAddress;

import io.tenure.store.Write;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.id.Ids;
import io.tenure.org.OrgSettings;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Withdraws the pending invitations of someone who no longer has access to the org (removed by an
 * admin, or their access ended): what they offered goes with them. Each invitation is revoked in
 * its own transaction with an audit event by the system, naming the reason, so a repeat after a
 * failure revokes only what is left. Accepting such an invitation is refused anyway (the accept
 * transaction checks the inviter's access); this makes the list and the audit say so. An org may
 * opt out ({@code keepInvitationsOfDepartedInviters}): then both leave the invitations be.
 */
public final class InvitationWithdrawal {
    private final InvitationStore store;
    private final OrgStore orgs;
    private final AuditLog audit;
    private final Clock clock;
    private final Ids ids;
    private final InvitationPlans plans;

    public InvitationWithdrawal(InvitationStore store, OrgStore orgs, AuditLog audit, Clock clock) {
        this.store = store;
        this.orgs = orgs;
        this.audit = audit;
        this.clock = clock;
        this.ids = new Ids(clock);
        this.plans = new InvitationPlans(store.dueItems());
    }

    /**
     * Revokes every pending invitation of the org made by {@code inviterEmail}; returns how many.
     * One Query of GSI1 for that inviter's pending guards, their invitations by key, then one
     * transaction each. Nothing, if the org opted to
     * keep a departed inviter's invitations ({@code keepInvitationsOfDepartedInviters}).
     */
    public int withdrawAllBy(String orgId, String inviterEmail, String reason) {
        OrgSettings settings = orgs.find(orgId).map(Organization::settings).orElse(null);
        if (settings == null || settings.keepInvitationsOfDepartedInviters()) {
            return 0; // the org is gone, or keeps them
        }
        int auditRetentionDays = settings.auditRetentionDays();
        String inviterKey = EmailAddress.key(inviterEmail);
        Instant now = clock.instant();
        List<Invitation> pending = new ArrayList<>();
        for (Invitation stored : store.pendingBy(orgId, inviterKey)) {
            Invitation invitation = stored.asOf(now);
            if (invitation.is(InvitationStatus.PENDING) && invitation.createdBy() != null
                    && invitation.createdBy().email() != null && inviterKey.equals(EmailAddress.key(invitation.createdBy().email()))) {
                pending.add(invitation);
            }
        }
        int withdrawn = 0;
        for (Invitation invitation : pending) {
            List<Write> items = new ArrayList<>(List.of(
                    store.revoke(invitation, now),
                    store.releasePending(orgId, invitation.emailKey(), invitation.id()),
                    audit.put(AuditEvent.of(ids.audit(), orgId, now, Actor.system("inviter-access"), "invitation.revoked",
                            AuditEvent.Target.invitation(invitation.id()))
                            .withChange("status", InvitationStatus.PENDING.json(), InvitationStatus.REVOKED.json()).withNote(reason),
                            auditRetentionDays)));
            items.addAll(plans.closed(orgId, invitation.id()));
            if (store.commit(items).committed()) {
                withdrawn++;
            } // else it changed meanwhile (accepted, resent, revoked): leave it to its new state
        }
        return withdrawn;
    }
}
