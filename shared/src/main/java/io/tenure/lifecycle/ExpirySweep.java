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
 * The expiry sweep (SPEC §6, every 15 minutes): pending invitations past their expiry become
 * expired ({@link InvitationSteps#expiry}); members past accessEndsAt are removed, so their
 * access is gone at once ({@link AccessSteps#end}). The engine runs the steps the features register.
 */
public final class ExpirySweep {
    private final DueRunner runner;
    private final InvitationSteps invitationSteps;
    private final AccessSteps accessSteps;

    public ExpirySweep(Table table, OrgStore orgs, AuditLog audit, EmailSender email, EmailTemplates templates, Clock clock) {
        DueItems due = new DueItems(table);
        InvitationStore invitations = new InvitationStore(table);
        this.runner = new DueRunner(due, email, clock);
        this.invitationSteps = new InvitationSteps(invitations, orgs, audit, templates, clock);
        this.accessSteps = new AccessSteps(new MemberStore(table.name()), new MemberDirectory(table), new MemberPlans(due),
                new ReviewPlans(due), new InvitationWithdrawal(invitations, orgs, audit, clock), orgs, audit,
                new Transactions(table), templates, clock);
    }

    public RunSummary run(Deadline deadline) {
        return runner.run(DueKind.Queue.SWEEP, Map.of(
                DueKind.INVITE_EXPIRY, invitationSteps.expiry(),
                DueKind.ACCESS_END, accessSteps.end()), deadline);
    }
}
