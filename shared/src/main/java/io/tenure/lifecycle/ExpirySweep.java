package io.tenure.lifecycle;

import io.tenure.audit.AuditLog;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.org.OrgStore;
import io.tenure.schedule.Deadline;
import io.tenure.schedule.DueKind;
import io.tenure.schedule.RunSummary;
import io.tenure.store.Table;
import java.time.Clock;
import java.util.Map;

/**
 * The expiry sweep (SPEC §6, every 15 minutes): pending invitations past their expiry become
 * expired ({@link io.tenure.invitation.InvitationSteps#expiry}); members past accessEndsAt are removed, so their
 * access is gone at once ({@link io.tenure.member.AccessSteps#end}); warned collaborators still inactive are removed
 * ({@link io.tenure.member.InactivitySteps#remove}); invitation requests no admin decided in time expire
 * ({@link io.tenure.invitation.InvitationSteps#requestExpiry}). The engine runs the steps the features register.
 */
public final class ExpirySweep {
    private final LifecycleSteps steps;

    public ExpirySweep(Table table, OrgStore orgs, AuditLog audit, EmailSender email, EmailTemplates templates, Clock clock) {
        this.steps = LifecycleSteps.on(table, orgs, audit, email, templates, clock);
    }

    public RunSummary run(Deadline deadline) {
        return steps.runner().run(DueKind.Queue.SWEEP, Map.of(
                DueKind.INVITE_EXPIRY, steps.invitations().expiry(),
                DueKind.ACCESS_END, steps.access().end(),
                DueKind.INACTIVE_REMOVAL, steps.inactivity().remove(),
                DueKind.REQUEST_EXPIRY, steps.invitations().requestExpiry()), deadline);
    }

    /** A dry run of the read side: how many items are due in the first page of each shard; changes nothing. */
    public int peek() {
        return steps.runner().peek(DueKind.Queue.SWEEP);
    }
}
