package io.tenure.schedule;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.JsonNode;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailSender;
import io.tenure.email.Dates;
import io.tenure.email.EmailTemplates;
import io.tenure.email.Notice;
import io.tenure.id.Ids;
import io.tenure.invitation.Invitation;
import io.tenure.invitation.InvitationWithdrawal;
import io.tenure.invitation.InvitationStore;
import io.tenure.access.Member;
import io.tenure.member.MemberDirectory;
import io.tenure.access.MemberStore;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.store.Table;
import io.tenure.store.WriteOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The expiry sweep (SPEC §6, every 15 minutes): pending invitations past their expiry become
 * expired and the inviter is told; members past accessEndsAt are removed, so their access is gone
 * at once, and the collaborator, the inviter and the stakeholders are told.
 */
public final class ExpirySweep {
    private final InvitationWithdrawal withdrawal;
    private final Table table;
    private final InvitationStore invitations;
    private final MemberStore memberWrites;
    private final MemberDirectory members;
    private final DuePlans plans;
    private final AuditLog audit;
    private final EmailTemplates templates;
    private final DueRunner runner;
    private final Ids ids;
    private final OrgStore orgs;

    public ExpirySweep(Table table, OrgStore orgs, AuditLog audit, EmailSender email, EmailTemplates templates, Clock clock) {
        this.table = table;
        this.invitations = new InvitationStore(table);
        this.memberWrites = new MemberStore(table.name());
        this.members = new MemberDirectory(table);
        DueItems due = new DueItems(table);
        this.plans = new DuePlans(due);
        this.audit = audit;
        this.templates = templates;
        this.runner = new DueRunner(due, orgs, email, clock);
        this.ids = new Ids(clock);
        this.orgs = orgs;
        this.withdrawal = new InvitationWithdrawal(invitations, orgs, audit, clock);
    }

    public RunSummary run(Deadline deadline) {
        return runner.run(DueKind.Queue.SWEEP, Map.of(
                DueKind.INVITE_EXPIRY, this::expireInvitation,
                DueKind.ACCESS_END, this::endAccess), deadline);
    }

    private List<Write> expireInvitation(DueItem item, DueRunner.Run run) throws EmailDeliveryException {
        JsonNode p = item.payload();
        Optional<Organization> org = run.org(item.orgId());
        if (org.isEmpty()) {
            return null;
        }
        Instant now = run.now();
        WriteOutcome outcome = table.transact(List.of(
                invitations.expire(item.orgId(), item.targetId(), now),
                audit.put(new AuditEvent(ids.audit(), item.orgId(), now, Actor.system("expiry-sweep"), "invitation.expired",
                        new AuditEvent.Target("invitation", item.targetId()), Map.of("status", AuditEvent.change("pending", "expired")),
                        null, null, null, null), org.get().settings().auditRetentionDays())));
        if (!outcome.committed()) {
            // Either an earlier attempt of this step expired it (go on to the email), or it was
            // accepted, revoked or resent meanwhile (nothing to do).
            Optional<Invitation> current = invitations.find(item.orgId(), item.targetId());
            if (current.isEmpty() || !Invitation.EXPIRED.equals(current.get().status())) {
                return null;
            }
        }
        String inviter = p.path("inviterEmail").asText(null);
        if (inviter != null) {
            run.send("inviter", Notice.titled("Your invitation to " + p.path("email").asText() + " expired")
                    .paragraph("Your invitation to " + p.path("email").asText() + " to join " + org.get().name()
                            + " expired on " + Dates.human(p.path("expiresAt").asText()) + " without being accepted.")
                    .paragraph("If they still need access, resend the invitation; it gets a new link and a new expiry.")
                    .render(templates, org.get().name(), Emails.contact(org.get(), inviter), List.of(inviter), List.of()));
        }
        return List.of();
    }

    private List<Write> endAccess(DueItem item, DueRunner.Run run) throws EmailDeliveryException {
        JsonNode p = item.payload();
        Optional<Organization> org = run.org(item.orgId());
        if (org.isEmpty()) {
            return null;
        }
        Instant now = run.now();
        String email = p.path("email").asText();
        List<Write> items = new ArrayList<>(memberWrites.endAccess(item.orgId(), item.targetId(),
                p.path("emailKey").asText(), p.path("accessEndsAt").asText(), now));
        items.addAll(plans.memberReminders(item.orgId(), item.targetId()));
        if ("admin".equals(p.path("orgRole").asText())) {
            items.add(orgs.countAdmin(item.orgId(), -1, false));
        }
        items.add(audit.put(new AuditEvent(ids.audit(), item.orgId(), now, Actor.system("expiry-sweep"), "member.access_ended",
                new AuditEvent.Target("member", item.targetId()), Map.of("status", AuditEvent.change("active", "removed")),
                "access ended " + p.path("accessEndsAt").asText(), null, null, null), org.get().settings().auditRetentionDays()));
        if (!table.transact(items).committed()) {
            Optional<Member> current = members.find(item.orgId(), item.targetId());
            if (current.isEmpty() || !"removed".equals(current.get().status())) {
                return null; // extended or removed by hand meanwhile
            }
        }
        // What they offered goes with them (a repeat of this step withdraws only what is left).
        withdrawal.withdrawAllBy(item.orgId(), email, "the inviter's access ended " + p.path("accessEndsAt").asText());
        String orgName = org.get().name();
        String inviter = p.path("inviterEmail").asText(null);
        String contact = Emails.contact(org.get(), inviter);
        run.send("collaborator", Notice.titled("Your access to " + orgName + " has ended")
                .paragraph("Your access to " + orgName + " ended on " + Dates.human(p.path("accessEndsAt").asText())
                        + ", as planned when you were invited.")
                .paragraph("If you still need access, ask " + contact + ".")
                .render(templates, orgName, contact, List.of(email), List.of()));
        List<String> notified = Emails.inviterAndStakeholders(p);
        if (!notified.isEmpty()) {
            run.send("inviter", Notice.titled(email + "'s access to " + orgName + " has ended")
                    .paragraph(email + "'s access to " + orgName + " ended on " + Dates.human(p.path("accessEndsAt").asText())
                            + " and was removed.")
                    .paragraph("To give access again, send a new invitation.")
                    .render(templates, orgName, contact, notified.subList(0, 1), notified.subList(1, notified.size())));
        }
        return List.of();
    }
}
