package io.tenure.member;

import io.tenure.access.Member;
import io.tenure.access.MemberStore;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.email.Dates;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailTemplates;
import io.tenure.email.Notice;
import io.tenure.id.Ids;
import io.tenure.id.LinkToken;
import io.tenure.org.Contacts;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.schedule.DueItem;
import io.tenure.schedule.DueRun;
import io.tenure.schedule.Step;
import io.tenure.schedule.StepResult;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The inviter's 30-day check-in (SPEC §6, answerable since issue 14): the email says when the
 * collaborator was last active and carries two links, "Still needed" and "Remove access", each
 * answering the check-in once ({@link CheckinService}). The links are opened (stored by their
 * hashes) before the email goes, so they work when it arrives.
 */
public final class CheckinSteps {
    private final CheckinStore checkins;
    private final MemberStore members;
    private final OrgStore orgs;
    private final AuditLog audit;
    private final EmailTemplates templates;
    private final String appBaseUrl;
    private final Ids ids;

    public CheckinSteps(CheckinStore checkins, MemberStore members, OrgStore orgs, AuditLog audit, EmailTemplates templates,
                        String appBaseUrl, Clock clock) {
        this.checkins = checkins;
        this.members = members;
        this.orgs = orgs;
        this.audit = audit;
        this.templates = templates;
        this.appBaseUrl = appBaseUrl.replaceAll("/+$", "");
        this.ids = new Ids(clock);
    }

    /** The step of {@code CHECKIN_30D}. */
    public Step checkIn() {
        return this::checkIn;
    }

    private StepResult checkIn(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        Optional<Member> member = members.find(item.orgId(), item.targetId()).filter(Member::isActive);
        if (org.isEmpty() || member.isEmpty() || member.get().invitedBy() == null) {
            return StepResult.skipped();
        }
        Member m = member.get();
        String orgName = org.get().name();
        Instant now = run.now();
        Notice notice = Notice.titled("30-day check-in: " + m.email() + " in " + orgName)
                .paragraph(m.email() + " accepted your invitation to " + orgName + " 30 days ago.")
                .paragraph(m.lastActiveAt() == null
                        ? "They have not used their access since. If it is no longer needed, remove it so the access does not linger."
                        : "Their last activity was on " + Dates.human(m.lastActiveAt()) + ".");
        if (!run.sent("inviter")) {
            // New links each attempt: an earlier attempt's links never went out, and these replace them.
            LinkToken keep = LinkToken.generate();
            LinkToken remove = LinkToken.generate();
            Instant until = now.plus(Checkin.ANSWER_WITHIN);
            if (!checkins.commit(checkins.open(m, keep.hash(), remove.hash(), now, until)).committed()) {
                return StepResult.skipped(); // already answered: an earlier attempt's email went out
            }
            notice.paragraph("Is the access still needed? Answer with one of these links until " + Dates.human(until)
                            + ". Opening a link shows what it will do; nothing changes until you confirm.")
                    .link("Still needed", link(keep))
                    .link("Remove access", link(remove));
        }
        run.send("inviter", notice.render(templates, orgName, Contacts.of(org.get(), m.invitedBy()), List.of(m.invitedBy()), List.of()));
        return StepResult.doneWith(audit.put(AuditEvent.of(ids.audit(), item.orgId(), now, Actor.system("reminders"),
                        "member.checkin_sent", AuditEvent.Target.member(item.targetId()))
                .withChange("reminder", null, item.kind().key())
                .withNote(m.lastActiveAt() == null ? "no activity" : "last active " + m.lastActiveAt()),
                org.get().settings().auditRetentionDays()));
    }

    private String link(LinkToken token) {
        return appBaseUrl + "/checkins/answer?token=" + token.value();
    }
}
