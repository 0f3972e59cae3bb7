package io.tenure.lifecycle;

import io.tenure.access.MemberStore;
import io.tenure.audit.AuditLog;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.member.CheckinStore;
import io.tenure.member.CheckinSteps;
import io.tenure.org.OrgStore;
import io.tenure.review.ReviewStore;
import io.tenure.review.ReviewSteps;
import io.tenure.schedule.DueItems;
import io.tenure.schedule.Deadline;
import io.tenure.schedule.DueKind;
import io.tenure.schedule.RunSummary;
import io.tenure.store.Table;
import java.time.Clock;
import java.util.Map;

/**
 * The hourly reminders (SPEC §6): a nudge to the invitee and a notice to the inviter at 72 hours
 * pending; the collaborator at 14 days before access ends; the inviter and stakeholders at 7 days;
 * the inviter's check-in 30 days after acceptance, with links to answer it; each org's quarterly
 * access review, opened with its link emailed to the admins, then its reminder, escalation and
 * close; the inactivity warnings of orgs that remove inactive collaborators.
 */
public final class Reminders {
    private final LifecycleSteps steps;
    private final CheckinSteps checkins;
    private final ReviewSteps reviews;

    /** @param appBaseUrl the public base URL of the check-in links ({@code APP_BASE_URL}) */
    public Reminders(Table table, OrgStore orgs, AuditLog audit, EmailSender email, EmailTemplates templates, String appBaseUrl,
                     Clock clock) {
        this.steps = LifecycleSteps.on(table, orgs, audit, email, templates, clock);
        this.checkins = new CheckinSteps(new CheckinStore(table), new MemberStore(table), orgs, audit, templates, appBaseUrl, clock);
        this.reviews = new ReviewSteps(new ReviewStore(table), new MemberStore(table), new DueItems(table), orgs, audit, templates,
                appBaseUrl, clock);
    }

    public RunSummary run(Deadline deadline) {
        return steps.runner().run(DueKind.Queue.REMINDERS, Map.of(
                DueKind.INVITE_NUDGE, steps.invitations().nudge(),
                DueKind.ACCESS_WARN_14D, steps.access().warnCollaborator(),
                DueKind.ACCESS_WARN_7D, steps.access().warnInviter(),
                DueKind.CHECKIN_30D, checkins.checkIn(),
                DueKind.QUARTERLY_REVIEW, reviews.quarterly(),
                DueKind.INACTIVITY_PLAN, steps.inactivity().plan(),
                DueKind.INACTIVE_WARN, steps.inactivity().warn(),
                DueKind.REVIEW_REMIND, reviews.remind(),
                DueKind.REVIEW_ESCALATE, reviews.escalate(),
                DueKind.REVIEW_CLOSE, reviews.close()), deadline);
    }

    /** A dry run of the read side: how many items are due in the first page of each shard; changes nothing. */
    public int peek() {
        return steps.runner().peek(DueKind.Queue.REMINDERS);
    }
}
