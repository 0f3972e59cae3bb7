package io.tenure.lifecycle;

import io.tenure.access.MemberPlans;
import io.tenure.access.MemberStore;
import io.tenure.audit.AuditLog;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.invitation.InvitationStore;
import io.tenure.invitation.InvitationSteps;
import io.tenure.invitation.InvitationWithdrawal;
import io.tenure.member.AccessSteps;
import io.tenure.member.MemberDirectory;
import io.tenure.org.OrgStore;
import io.tenure.org.ReviewPlans;
import io.tenure.schedule.Deadline;
import io.tenure.schedule.DueItems;
import io.tenure.schedule.DueKind;
import io.tenure.schedule.DueRunner;
import io.tenure.schedule.RunSummary;
import io.tenure.store.Table;
import io.tenure.store.Transactions;
import java.time.Clock;
import java.util.Map;

/**
 * The hourly reminders (SPEC §6): a nudge to the invitee and a notice to the inviter at 72 hours
 * pending; the collaborator at 14 days before access ends; the inviter and stakeholders at 7 days;
 * the inviter's check-in 30 days after acceptance; each org's quarterly access-review digest.
 */
public final class Reminders {
    private final DueRunner runner;
    private final InvitationSteps invitationSteps;
    private final AccessSteps accessSteps;

    public Reminders(Table table, OrgStore orgs, AuditLog audit, EmailSender email, EmailTemplates templates, Clock clock) {
        DueItems due = new DueItems(table);
        InvitationStore invitations = new InvitationStore(table);
        this.runner = new DueRunner(due, email, clock);
        this.invitationSteps = new InvitationSteps(invitations, orgs, audit, templates, clock);
        this.accessSteps = new AccessSteps(new MemberStore(table.name()), new MemberDirectory(table), new MemberPlans(due),
                new ReviewPlans(due), new InvitationWithdrawal(invitations, orgs, audit, clock), orgs, audit,
                new Transactions(table), templates, clock);
    }

    public RunSummary run(Deadline deadline) {
        return runner.run(DueKind.Queue.REMINDERS, Map.of(
                DueKind.INVITE_NUDGE, invitationSteps.nudge(),
                DueKind.ACCESS_WARN_14D, accessSteps.warnCollaborator(),
                DueKind.ACCESS_WARN_7D, accessSteps.warnInviter(),
                DueKind.CHECKIN_30D, accessSteps.checkIn(),
                DueKind.QUARTERLY_REVIEW, accessSteps.review()), deadline);
    }
}
