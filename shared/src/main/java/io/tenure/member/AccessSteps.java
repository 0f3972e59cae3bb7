package io.tenure.member;

import io.tenure.value.MemberStatus;
import io.tenure.value.OrgRole;
import io.tenure.access.Member;
import io.tenure.access.MemberDue;
import io.tenure.access.MemberPlans;
import io.tenure.access.MemberStore;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.email.Dates;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailTemplates;
import io.tenure.email.Notice;
import io.tenure.id.Ids;
import io.tenure.invitation.InvitationWithdrawal;
import io.tenure.org.Contacts;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.schedule.DueItem;
import io.tenure.schedule.DueKind;
import io.tenure.schedule.DueRun;
import io.tenure.schedule.Step;
import io.tenure.schedule.StepResult;
import io.tenure.store.Write;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A member's scheduled steps (SPEC §6): the removal at accessEndsAt (the sweep), the collaborator's
 * warning 14 days before and the inviter's and stakeholders' 7 days before (hourly reminders). The
 * 30-day check-in is {@link CheckinSteps}; the quarterly access review is {@code review.ReviewSteps}.
 */
public final class AccessSteps {
    private final MemberStore members;
    private final MemberPlans plans;
    private final InvitationWithdrawal withdrawal;
    private final OrgStore orgs;
    private final AuditLog audit;
    private final EmailTemplates templates;
    private final Ids ids;

    public AccessSteps(MemberStore members, MemberPlans plans, InvitationWithdrawal withdrawal, OrgStore orgs, AuditLog audit,
                       EmailTemplates templates, Clock clock) {
        this.members = members;
        this.plans = plans;
        this.withdrawal = withdrawal;
        this.orgs = orgs;
        this.audit = audit;
        this.templates = templates;
        this.ids = new Ids(clock);
    }

    /** The step of {@code ACCESS_END}. */
    public Step end() {
        return this::endAccess;
    }

    /** The step of {@code ACCESS_WARN_14D}. */
    public Step warnCollaborator() {
        return this::warnCollaborator;
    }

    /** The step of {@code ACCESS_WARN_7D}. */
    public Step warnInviter() {
        return this::warnInviter;
    }

    private StepResult endAccess(DueItem item, DueRun run) throws EmailDeliveryException {
        MemberDue p = item.payload(MemberDue.class);
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        if (org.isEmpty()) {
            return StepResult.skipped();
        }
        Instant now = run.now();
        String email = p.email();
        List<Write> items = new ArrayList<>(members.endAccess(item.orgId(), item.targetId(), p.emailKey(), p.accessEndsAt(), now));
        items.addAll(plans.closedExcept(DueKind.ACCESS_END, item.orgId(), item.targetId()));
        if (p.orgRole() == OrgRole.ADMIN) {
            items.add(orgs.countAdmin(item.orgId(), -1, false));
        }
        items.add(audit.put(AuditEvent.of(ids.audit(), item.orgId(), now, Actor.system("expiry-sweep"), "member.access_ended",
                AuditEvent.Target.member(item.targetId()))
                .withChange("status", MemberStatus.ACTIVE.json(), MemberStatus.REMOVED.json())
                .withNote("access ended " + p.accessEndsAt()), org.get().settings().auditRetentionDays()));
        if (!members.commit(items).committed()) {
            Optional<Member> current = members.find(item.orgId(), item.targetId());
            if (current.isEmpty() || current.get().status() != MemberStatus.REMOVED) {
                return StepResult.skipped(); // extended or removed by hand meanwhile
            }
        }
        // What they offered goes with them (a repeat of this step withdraws only what is left).
        withdrawal.withdrawAllBy(item.orgId(), email, "the inviter's access ended " + p.accessEndsAt());
        String orgName = org.get().name();
        String contact = Contacts.of(org.get(), p.inviterEmail());
        run.send("collaborator", Notice.titled("Your access to " + orgName + " has ended")
                .paragraph("Your access to " + orgName + " ended on " + Dates.human(p.accessEndsAt())
                        + ", as planned when you were invited.")
                .paragraph("If you still need access, ask " + contact + ".")
                .render(templates, orgName, contact, List.of(email), List.of()));
        List<String> notified = p.inviterAndStakeholders();
        if (!notified.isEmpty()) {
            run.send("inviter", Notice.titled(email + "'s access to " + orgName + " has ended")
                    .paragraph(email + "'s access to " + orgName + " ended on " + Dates.human(p.accessEndsAt())
                            + " and was removed.")
                    .paragraph("To give access again, send a new invitation.")
                    .render(templates, orgName, contact, notified.subList(0, 1), notified.subList(1, notified.size())));
        }
        return StepResult.done();
    }

    private StepResult warnCollaborator(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        Optional<Member> member = activeWithSameEnd(item);
        if (org.isEmpty() || member.isEmpty()) {
            return StepResult.skipped();
        }
        Member m = member.get();
        String orgName = org.get().name();
        String contact = Contacts.of(org.get(), m.invitedBy());
        run.send("collaborator", Notice.titled("Your access to " + orgName + " ends on " + Dates.human(m.accessEndsAt()))
                .paragraph("Your access to " + orgName + " ends on " + Dates.human(m.accessEndsAt()) + ", in 14 days.")
                .paragraph("If you need it for longer, ask " + contact + " to extend it before then.")
                .render(templates, orgName, contact, List.of(m.email()), List.of()));
        return StepResult.doneWith(auditFor(item, org.get(), run, "member.access_ending", "14 days before " + m.accessEndsAt()));
    }

    private StepResult warnInviter(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        Optional<Member> member = activeWithSameEnd(item);
        if (org.isEmpty() || member.isEmpty()) {
            return StepResult.skipped();
        }
        Member m = member.get();
        List<String> notified = item.payload(MemberDue.class).inviterAndStakeholders();
        if (!notified.isEmpty()) {
            String orgName = org.get().name();
            run.send("inviter", Notice.titled(m.email() + "'s access to " + orgName + " ends in 7 days")
                    .paragraph(m.email() + "'s access to " + orgName + " ends on " + Dates.human(m.accessEndsAt())
                            + ". It is removed automatically then.")
                    .paragraph("To extend it, change the member's accessEndsAt with a justification before that date.")
                    .render(templates, orgName, Contacts.of(org.get(), m.invitedBy()), notified.subList(0, 1),
                            notified.subList(1, notified.size())));
        }
        return StepResult.doneWith(auditFor(item, org.get(), run, "member.access_ending", "7 days before " + m.accessEndsAt()));
    }

    private Optional<Member> activeWithSameEnd(DueItem item) {
        String end = item.payload(MemberDue.class).accessEndsAt();
        return members.find(item.orgId(), item.targetId())
                .filter(m -> m.isActive() && m.accessEndsAt() != null && m.accessEndsAt().toString().equals(end));
    }

    private Write auditFor(DueItem item, Organization org, DueRun run, String action, String note) {
        return audit.put(AuditEvent.of(ids.audit(), item.orgId(), run.now(), Actor.system("reminders"), action,
                AuditEvent.Target.member(item.targetId())).withChange("reminder", null, item.kind().key()).withNote(note),
                org.settings().auditRetentionDays());
    }
}
