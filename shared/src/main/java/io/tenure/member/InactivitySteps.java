package io.tenure.member;

import io.tenure.access.Member;
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
import io.tenure.value.MemberStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removal of inactive collaborators (issue 14), for an org whose {@code removeAfterInactiveDays} is
 * set: a collaborator (a member someone invited) with no activity for that many days since their
 * last activity, or their acceptance, is warned 7 days before, with their inviter, then removed.
 * Activity moves nothing when it happens: each step reads the member when it is due and, if they
 * were active meanwhile, waits (or plans the warning again). Turning the setting on (or changing
 * it) plans every collaborator's warning; turning it off makes every pending step end doing nothing.
 */
public final class InactivitySteps {
    /** How many warnings one transaction plans. */
    private static final int PLAN_BATCH = 50;

    private final MemberStore members;
    private final MemberPlans plans;
    private final InvitationWithdrawal withdrawal;
    private final OrgStore orgs;
    private final AuditLog audit;
    private final EmailTemplates templates;
    private final Ids ids;

    public InactivitySteps(MemberStore members, MemberPlans plans, InvitationWithdrawal withdrawal, OrgStore orgs,
                           AuditLog audit, EmailTemplates templates, Clock clock) {
        this.members = members;
        this.plans = plans;
        this.withdrawal = withdrawal;
        this.orgs = orgs;
        this.audit = audit;
        this.templates = templates;
        this.ids = new Ids(clock);
    }

    /** The step of {@code INACTIVITY_PLAN}. */
    public Step plan() {
        return this::plan;
    }

    /** The step of {@code INACTIVE_WARN}. */
    public Step warn() {
        return this::warn;
    }

    /** The step of {@code INACTIVE_REMOVAL}. */
    public Step remove() {
        return this::remove;
    }

    /** Plans each active collaborator's warning under the org's setting now (one Query of the org's members). */
    private StepResult plan(DueItem item, DueRun run) {
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        if (org.isEmpty() || org.get().settings().removeAfterInactiveDays() == null) {
            return StepResult.skipped(); // turned off: each pending step ends doing nothing
        }
        int days = org.get().settings().removeAfterInactiveDays();
        List<Write> batch = new ArrayList<>();
        for (Member member : members.all(item.orgId())) {
            if (member.isActive() && member.invitedBy() != null) {
                batch.add(plans.inactivity(member, days, run.now()));
                if (batch.size() == PLAN_BATCH) {
                    commit(batch);
                    batch = new ArrayList<>();
                }
            }
        }
        if (!batch.isEmpty()) {
            commit(batch);
        }
        return StepResult.done();
    }

    private void commit(List<Write> batch) {
        if (!members.commit(batch).committed()) {
            throw new IllegalStateException("planning inactivity warnings was refused; the next run plans them again");
        }
    }

    private StepResult warn(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        Optional<Member> member = members.find(item.orgId(), item.targetId()).filter(Member::isActive);
        if (org.isEmpty() || member.isEmpty() || member.get().invitedBy() == null
                || org.get().settings().removeAfterInactiveDays() == null) {
            return StepResult.skipped();
        }
        int days = org.get().settings().removeAfterInactiveDays();
        Member m = member.get();
        Instant now = run.now();
        Instant since = MemberPlans.inactiveSince(m);
        Instant removeAt = since.plus(Duration.ofDays(days));
        if (removeAt.minus(MemberPlans.WARN_INACTIVE).isAfter(now)) {
            return StepResult.later(removeAt.minus(MemberPlans.WARN_INACTIVE)); // active since it was planned
        }
        // Never fewer than 7 days' warning (an org that just turned this on, for someone long inactive).
        Instant removal = removeAt.isBefore(now.plus(MemberPlans.WARN_INACTIVE)) ? now.plus(MemberPlans.WARN_INACTIVE) : removeAt;
        String orgName = org.get().name();
        String contact = Contacts.of(org.get(), m.invitedBy());
        run.send("collaborator", Notice.titled("Your access to " + orgName + " will be removed on " + Dates.human(removal))
                .paragraph("You have not used your access to " + orgName + " since " + Dates.human(since) + ". " + orgName
                        + " removes access that has not been used for " + days + " days.")
                .paragraph("If you still need it, sign in and use it before " + Dates.human(removal) + ", and it stays."
                        + " Questions? Ask " + contact + ".")
                .render(templates, orgName, contact, List.of(m.email()), List.of()));
        run.send("inviter", Notice.titled(m.email() + "'s access to " + orgName + " will be removed for inactivity on "
                        + Dates.human(removal))
                .paragraph(m.email() + " has not used their access to " + orgName + " since " + Dates.human(since)
                        + ", and " + orgName + " removes access unused for " + days + " days.")
                .paragraph("It is removed on " + Dates.human(removal) + " unless they use it before then.")
                .render(templates, orgName, contact, List.of(m.invitedBy()), List.of()));
        return StepResult.doneWith(List.of(plans.inactiveRemoval(m, since, removal),
                audit.put(AuditEvent.of(ids.audit(), item.orgId(), now, Actor.system("reminders"), "member.inactivity_warned",
                                AuditEvent.Target.member(m.id()))
                        .withChange("reminder", null, item.kind().key())
                        .withNote("no activity since " + since + "; removal on " + removal), org.get().settings().auditRetentionDays())));
    }

    private StepResult remove(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        Optional<Member> found = members.find(item.orgId(), item.targetId());
        if (org.isEmpty() || found.isEmpty() || found.get().invitedBy() == null
                || org.get().settings().removeAfterInactiveDays() == null) {
            return StepResult.skipped();
        }
        int days = org.get().settings().removeAfterInactiveDays();
        Member m = found.get();
        Instant now = run.now();
        Instant warnedSince = Instant.parse(item.payload(MemberPlans.InactiveDue.class).since());
        Instant since = MemberPlans.inactiveSince(m);
        if (since.isAfter(warnedSince) || since.plus(Duration.ofDays(days)).isAfter(now)) {
            // Used since the warning, or the org allows longer now: warned again when that is due.
            return m.isActive() ? StepResult.doneWith(plans.inactivity(m, days, now)) : StepResult.skipped();
        }
        String reason = "no activity for " + days + " days (since " + since + ")";
        if (!m.isActive() && !members.removedReason(item.orgId(), m.id()).filter(reason::equals).isPresent()) {
            return StepResult.skipped(); // removed otherwise meanwhile
        }
        if (m.isActive()) {
            List<Write> items = new ArrayList<>(members.removeInactive(m, reason, now));
            items.addAll(plans.closedExcept(DueKind.INACTIVE_REMOVAL, item.orgId(), m.id()));
            if (m.isAdmin()) {
                items.add(orgs.countAdmin(item.orgId(), -1, true));
            }
            items.add(audit.put(AuditEvent.of(ids.audit(), item.orgId(), now, Actor.system("expiry-sweep"), "member.removed",
                            AuditEvent.Target.member(m.id()))
                    .withChange("status", MemberStatus.ACTIVE.json(), MemberStatus.REMOVED.json())
                    .withNote(reason), org.get().settings().auditRetentionDays()));
            if (!members.commit(items).committed()) {
                return StepResult.skipped(); // active at the last moment, removed by hand, or the last admin
            }
        }
        // Removed (by this step, or by an earlier attempt of it whose emails are what is left): what they offered goes with them.
        withdrawal.withdrawAllBy(item.orgId(), m.email(), "the inviter was removed: " + reason);
        String orgName = org.get().name();
        String contact = Contacts.of(org.get(), m.invitedBy());
        run.send("collaborator", Notice.titled("Your access to " + orgName + " was removed")
                .paragraph("Your access to " + orgName + " was removed because it was not used for " + days + " days.")
                .paragraph("If you need it again, ask " + contact + ".")
                .render(templates, orgName, contact, List.of(m.email()), List.of()));
        run.send("inviter", Notice.titled(m.email() + "'s access to " + orgName + " was removed for inactivity")
                .paragraph(m.email() + " had not used their access to " + orgName + " since " + Dates.human(since) + ", so it was removed.")
                .paragraph("To give access again, send a new invitation.")
                .render(templates, orgName, contact, List.of(m.invitedBy()), List.of()));
        return StepResult.done();
    }
}
