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
import io.tenure.invitation.Delivery;
import io.tenure.invitation.Invitation;
import io.tenure.invitation.InvitationStore;
import io.tenure.access.Member;
import io.tenure.member.MemberDirectory;
import io.tenure.org.OrgStore;
import io.tenure.org.Project;
import io.tenure.org.Organization;
import io.tenure.store.Table;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The hourly reminders (SPEC §6): a nudge to the invitee and a notice to the inviter at 72 hours
 * pending; the collaborator at 14 days before access ends; the inviter and stakeholders at 7 days;
 * the inviter's check-in 30 days after acceptance; each org's quarterly access-review digest.
 */
public final class Reminders {
    private final InvitationStore invitations;
    private final OrgStore orgs;
    private final MemberDirectory members;
    private final DuePlans plans;
    private final AuditLog audit;
    private final EmailTemplates templates;
    private final DueRunner runner;
    private final Ids ids;

    public Reminders(Table table, OrgStore orgs, AuditLog audit, EmailSender email, EmailTemplates templates, Clock clock) {
        this.invitations = new InvitationStore(table);
        this.orgs = orgs;
        this.members = new MemberDirectory(table);
        DueItems due = new DueItems(table);
        this.plans = new DuePlans(due);
        this.audit = audit;
        this.templates = templates;
        this.runner = new DueRunner(due, orgs, email, clock);
        this.ids = new Ids(clock);
    }

    public RunSummary run(Deadline deadline) {
        return runner.run(DueKind.Queue.REMINDERS, Map.of(
                DueKind.INVITE_NUDGE, this::nudge,
                DueKind.ACCESS_WARN_14D, this::warnCollaborator,
                DueKind.ACCESS_WARN_7D, this::warnInviter,
                DueKind.CHECKIN_30D, this::checkIn,
                DueKind.QUARTERLY_REVIEW, this::review), deadline);
    }

    private List<Write> nudge(DueItem item, DueRunner.Run run) throws EmailDeliveryException {
        Optional<Organization> org = run.org(item.orgId());
        Optional<Invitation> invitation = invitations.find(item.orgId(), item.targetId()).map(i -> i.asOf(run.now()));
        if (org.isEmpty() || invitation.isEmpty() || !Invitation.PENDING.equals(invitation.get().status())) {
            return null;
        }
        Invitation inv = invitation.get();
        String orgName = org.get().name();
        String inviter = inv.createdBy() == null ? null : inv.createdBy().email();
        String contact = Emails.contact(org.get(), inviter);
        Delivery delivery = inv.delivery();
        if (delivery == null || !delivery.delivered()) {
            // The first email did not reach them (or was not confirmed): a reminder pointing to it
            // would not help, and after a bounce or complaint must not be sent. The inviter is told.
            if (inviter != null) {
                run.send("inviter", Notice.titled("Your invitation to " + inv.email() + " has not reached them")
                        .paragraph(undelivered(inv.email(), delivery))
                        .paragraph("It expires on " + Dates.human(inv.expiresAt()) + ". Resend it to send a new link, or revoke it if it is no longer needed.")
                        .render(templates, orgName, contact, List.of(inviter), List.of()));
            }
            return List.of(auditFor(item, org.get(), run, "invitation", "invitation.reminded",
                    "invitee not reminded: delivery " + (delivery == null ? "unconfirmed" : delivery.status().value())));
        }
        run.send("invitee", Notice.titled("Reminder: you are invited to join " + orgName)
                .paragraph((inviter == null ? "An admin" : inviter) + " invited you to join " + orgName + " on "
                        + Dates.human(inv.lastSentAt()) + ". The invitation is still waiting for you.")
                .paragraph("Open the link in that email to review and accept it; it works until " + Dates.human(inv.expiresAt())
                        + ". If you cannot find the email, ask " + contact + " to send it again.")
                .render(templates, orgName, contact, List.of(inv.email()), List.of()));
        if (inviter != null) {
            run.send("inviter", Notice.titled(inv.email() + " has not accepted your invitation to " + orgName + " yet")
                    .paragraph("Your invitation to " + inv.email() + " has been pending for 3 days. We sent them a reminder.")
                    .paragraph("It expires on " + Dates.human(inv.expiresAt()) + ". You can resend it, or revoke it if it is no longer needed.")
                    .render(templates, orgName, contact, List.of(inviter), List.of()));
        }
        return List.of(auditFor(item, org.get(), run, "invitation", "invitation.reminded", null));
    }

    private static String undelivered(String email, Delivery delivery) {
        Delivery.Status status = delivery == null ? Delivery.Status.UNCONFIRMED : delivery.status();
        return switch (status) {
            case BOUNCED -> "The invitation email to " + email + " bounced, so no reminder was sent to them. Check the address.";
            case COMPLAINED -> email + " marked the invitation email as spam, so no reminder was sent to them.";
            case FAILED -> "The invitation email to " + email + " could not be sent, so no reminder was sent to them.";
            default -> "The invitation email to " + email + " was not confirmed as sent, so no reminder was sent to them.";
        };
    }

    private List<Write> warnCollaborator(DueItem item, DueRunner.Run run) throws EmailDeliveryException {
        Optional<Organization> org = run.org(item.orgId());
        Optional<Member> member = activeWithSameEnd(item);
        if (org.isEmpty() || member.isEmpty()) {
            return null;
        }
        Member m = member.get();
        String orgName = org.get().name();
        String contact = Emails.contact(org.get(), m.invitedBy());
        run.send("collaborator", Notice.titled("Your access to " + orgName + " ends on " + Dates.human(m.accessEndsAt()))
                .paragraph("Your access to " + orgName + " ends on " + Dates.human(m.accessEndsAt()) + ", in 14 days.")
                .paragraph("If you need it for longer, ask " + contact + " to extend it before then.")
                .render(templates, orgName, contact, List.of(m.email()), List.of()));
        return List.of(auditFor(item, org.get(), run, "member", "member.access_ending", "14 days before " + m.accessEndsAt()));
    }

    private List<Write> warnInviter(DueItem item, DueRunner.Run run) throws EmailDeliveryException {
        Optional<Organization> org = run.org(item.orgId());
        Optional<Member> member = activeWithSameEnd(item);
        if (org.isEmpty() || member.isEmpty()) {
            return null;
        }
        Member m = member.get();
        List<String> notified = Emails.inviterAndStakeholders(item.payload());
        if (!notified.isEmpty()) {
            String orgName = org.get().name();
            run.send("inviter", Notice.titled(m.email() + "'s access to " + orgName + " ends in 7 days")
                    .paragraph(m.email() + "'s access to " + orgName + " ends on " + Dates.human(m.accessEndsAt())
                            + ". It is removed automatically then.")
                    .paragraph("To extend it, change the member's accessEndsAt with a justification before that date.")
                    .render(templates, orgName, Emails.contact(org.get(), m.invitedBy()), notified.subList(0, 1),
                            notified.subList(1, notified.size())));
        }
        return List.of(auditFor(item, org.get(), run, "member", "member.access_ending", "7 days before " + m.accessEndsAt()));
    }

    private List<Write> checkIn(DueItem item, DueRunner.Run run) throws EmailDeliveryException {
        Optional<Organization> org = run.org(item.orgId());
        Optional<Member> member = members.find(item.orgId(), item.targetId()).filter(m -> "active".equals(m.status()));
        if (org.isEmpty() || member.isEmpty() || member.get().invitedBy() == null) {
            return null;
        }
        Member m = member.get();
        String orgName = org.get().name();
        Notice notice = Notice.titled("30-day check-in: " + m.email() + " in " + orgName)
                .paragraph(m.email() + " accepted your invitation to " + orgName + " 30 days ago.");
        if (m.lastActiveAt() == null) {
            notice.paragraph("They have not used their access since. If it is no longer needed, remove the member so the access does not linger.");
        } else {
            notice.paragraph("Their last activity was on " + Dates.human(m.lastActiveAt()) + ".")
                    .paragraph("If the access is no longer needed, remove the member.");
        }
        run.send("inviter", notice.render(templates, orgName, Emails.contact(org.get(), m.invitedBy()), List.of(m.invitedBy()), List.of()));
        return List.of(auditFor(item, org.get(), run, "member", "member.checkin_sent",
                m.lastActiveAt() == null ? "no activity" : "last active " + m.lastActiveAt()));
    }

    private List<Write> review(DueItem item, DueRunner.Run run) throws EmailDeliveryException {
        Optional<Organization> org = run.org(item.orgId());
        if (org.isEmpty()) {
            return null;
        }
        List<Member> active = members.all(item.orgId()).stream().filter(m -> "active".equals(m.status()))
                .sorted(Comparator.comparing(Member::emailKey)).toList();
        List<String> admins = active.stream().filter(m -> "admin".equals(m.orgRole())).map(Member::email).toList();
        String quarter = item.payload().path("quarter").asText();
        if (!admins.isEmpty()) {
            // Projects by name, as the console shows them (one Query; an archived or unknown one keeps its id).
            Map<String, String> projectNames = orgs.projects(item.orgId()).stream()
                    .collect(Collectors.toMap(Project::id, Project::name, (a, b) -> a));
            List<List<String>> rows = active.stream().map(m -> List.of(
                    m.email(),
                    m.orgRole() + (m.projects().isEmpty() ? "" : " · " + m.projects().entrySet().stream()
                            .map(e -> projectNames.getOrDefault(e.getKey(), e.getKey()) + ": " + e.getValue())
                            .collect(Collectors.joining(", "))),
                    m.lastActiveAt() == null ? "never" : Dates.day(m.lastActiveAt()),
                    m.accessEndsAt() == null ? "no end date" : Dates.day(m.accessEndsAt()),
                    m.note() == null || m.note().justification() == null ? "" : m.note().justification())).toList();
            String orgName = org.get().name();
            run.send("admins", Notice.titled(orgName + ": access review for " + quarter)
                    .paragraph("It is a new quarter: time to review who has access to " + orgName + ". "
                            + active.size() + " active member(s) are listed below.")
                    .paragraph("Remove anyone who no longer needs access, and check that each end date still fits.")
                    .table(List.of("Member", "Roles", "Last activity", "Access ends", "Justification"), rows)
                    .render(templates, orgName, Emails.contact(org.get(), admins.get(0)), admins, List.of()));
        }
        Instant now = run.now();
        return List.of(
                audit.put(new AuditEvent(ids.audit(), item.orgId(), now, Actor.system("reminders"), "review.digest_sent",
                        new AuditEvent.Target("org", item.orgId()), Map.of(), quarter + ": " + active.size() + " members",
                        null, null, null), org.get().settings().auditRetentionDays()),
                plans.review(item.orgId(), now));
    }

    private Optional<Member> activeWithSameEnd(DueItem item) {
        String end = item.payload().path("accessEndsAt").asText(null);
        return members.find(item.orgId(), item.targetId())
                .filter(m -> "active".equals(m.status()) && m.accessEndsAt() != null && m.accessEndsAt().toString().equals(end));
    }

    private Write auditFor(DueItem item, Organization org, DueRunner.Run run, String type, String action, String note) {
        JsonNode p = item.payload();
        return audit.put(new AuditEvent(ids.audit(), item.orgId(), run.now(), Actor.system("reminders"), action,
                new AuditEvent.Target(type, item.targetId()), Map.of("reminder", AuditEvent.change(null, item.kind().key())),
                note == null ? p.path("email").asText(null) : note, null, null, null), org.settings().auditRetentionDays());
    }
}
