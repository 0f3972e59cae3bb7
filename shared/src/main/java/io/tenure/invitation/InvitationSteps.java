package io.tenure.invitation;

import io.tenure.value.InvitationStatus;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.email.Dates;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailTemplates;
import io.tenure.email.Notice;
import io.tenure.id.Ids;
import io.tenure.org.Contacts;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.schedule.DueItem;
import io.tenure.schedule.DueRun;
import io.tenure.schedule.Step;
import io.tenure.schedule.StepResult;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An invitation's scheduled steps (SPEC §6): the expiry (the sweep, every 15 minutes) turns a
 * pending invitation past its expiry into expired and tells the inviter; the nudge (hourly, at
 * 72 hours pending) reminds the invitee and tells the inviter, or, when the first email did not
 * reach them, tells only the inviter.
 */
public final class InvitationSteps {
    private final InvitationStore invitations;
    private final OrgStore orgs;
    private final AuditLog audit;
    private final EmailTemplates templates;
    private final Ids ids;
    private final InvitationRequests requests;

    public InvitationSteps(InvitationStore invitations, OrgStore orgs, AuditLog audit, EmailTemplates templates, Clock clock) {
        this.requests = new InvitationRequests(invitations.requests(), audit, clock);
        this.invitations = invitations;
        this.orgs = orgs;
        this.audit = audit;
        this.templates = templates;
        this.ids = new Ids(clock);
    }

    /** The step of {@code INVITE_EXPIRY}. */
    public Step expiry() {
        return this::expire;
    }

    /** The step of {@code REQUEST_EXPIRY}: a request no admin decided in time expires, and its requester is told. */
    public Step requestExpiry() {
        return this::expireRequest;
    }

    /** The step of {@code INVITE_NUDGE}. */
    public Step nudge() {
        return this::remind;
    }

    private StepResult expire(DueItem item, DueRun run) throws EmailDeliveryException {
        InvitationDue p = item.payload(InvitationDue.class);
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        if (org.isEmpty()) {
            return StepResult.skipped();
        }
        Instant now = run.now();
        WriteOutcome outcome = invitations.commit(List.of(
                invitations.expire(item.orgId(), item.targetId(), now),
                audit.put(AuditEvent.of(ids.audit(), item.orgId(), now, Actor.system("expiry-sweep"), "invitation.expired",
                        AuditEvent.Target.invitation(item.targetId()))
                        .withChange("status", InvitationStatus.PENDING.json(), InvitationStatus.EXPIRED.json()),
                        org.get().settings().auditRetentionDays())));
        if (!outcome.committed()) {
            // Either an earlier attempt of this step expired it (go on to the email), or it was
            // accepted, revoked or resent meanwhile (nothing to do).
            Optional<Invitation> current = invitations.find(item.orgId(), item.targetId());
            if (current.isEmpty() || !current.get().is(InvitationStatus.EXPIRED)) {
                return StepResult.skipped();
            }
        }
        if (p.inviterEmail() != null) {
            run.send("inviter", Notice.titled("Your invitation to " + p.email() + " expired")
                    .paragraph("Your invitation to " + p.email() + " to join " + org.get().name()
                            + " expired on " + Dates.human(p.expiresAt()) + " without being accepted.")
                    .paragraph("If they still need access, resend the invitation; it gets a new link and a new expiry.")
                    .render(templates, org.get().name(), Contacts.of(org.get(), p.inviterEmail()), List.of(p.inviterEmail()), List.of()));
        }
        return StepResult.done();
    }

    private StepResult expireRequest(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        Optional<InvitationRequest> found = requests.store().find(item.orgId(), item.targetId());
        if (org.isEmpty() || found.isEmpty()) {
            return StepResult.skipped();
        }
        Instant now = run.now();
        InvitationRequest request = found.get();
        if (request.is(io.tenure.value.RequestStatus.PENDING)) {
            InvitationRequest next = request.expired(now);
            WriteOutcome outcome = requests.store().commit(requests.decided(next, Actor.system("expiry-sweep"),
                    "invitation_request.expired", java.util.Map.of("status", AuditEvent.change(io.tenure.value.RequestStatus.PENDING.json(),
                            io.tenure.value.RequestStatus.EXPIRED.json())), null, org.get().settings().auditRetentionDays(), null, now));
            if (!outcome.committed()) {
                return StepResult.skipped(); // decided meanwhile
            }
        } else if (!request.is(io.tenure.value.RequestStatus.EXPIRED)) {
            return StepResult.skipped();
        }
        String to = request.requestedBy().email();
        if (to != null) {
            run.send("requester", Notice.titled("Your request to invite " + request.email() + " expired")
                    .paragraph("Your request to invite " + request.email() + " to " + org.get().name() + " expired on "
                            + Dates.human(request.expiresAt()) + " before enough admins approved it.")
                    .paragraph("Nothing was sent to " + request.email() + ". If they still need access, ask again or ask an admin.")
                    .render(templates, org.get().name(), Contacts.of(org.get(), to), List.of(to), List.of()));
        }
        return StepResult.done();
    }

    private StepResult remind(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        Optional<Invitation> invitation = invitations.find(item.orgId(), item.targetId()).map(i -> i.asOf(run.now()));
        if (org.isEmpty() || invitation.isEmpty() || !invitation.get().is(InvitationStatus.PENDING)) {
            return StepResult.skipped();
        }
        Invitation inv = invitation.get();
        String orgName = org.get().name();
        String inviter = inv.createdBy() == null ? null : inv.createdBy().email();
        String contact = Contacts.of(org.get(), inviter);
        Delivery delivery = inv.delivery();
        if (delivery == null || !delivery.untroubled()) {
            // The first email did not reach them (or was not confirmed): a reminder pointing to it
            // would not help, and after a bounce or complaint must not be sent. The inviter is told.
            if (inviter != null) {
                run.send("inviter", Notice.titled("Your invitation to " + inv.email() + " has not reached them")
                        .paragraph(undelivered(inv.email(), delivery))
                        .paragraph("It expires on " + Dates.human(inv.expiresAt()) + ". Resend it to send a new link, or revoke it if it is no longer needed.")
                        .render(templates, orgName, contact, List.of(inviter), List.of()));
            }
            return StepResult.doneWith(reminded(item, org.get(), run,
                    "invitee not reminded: delivery " + (delivery == null ? "unconfirmed" : delivery.status().value())));
        }
        boolean reachedServer = delivery.status() == Delivery.Status.DELIVERED;
        run.send("invitee", Notice.titled("Reminder: you are invited to join " + orgName)
                .paragraph((inviter == null ? "An admin" : inviter) + " invited you to join " + orgName + " on "
                        + Dates.human(inv.lastSentAt()) + ". The invitation is still waiting for you.")
                .paragraph("Open the link in that email to review and accept it; it works until " + Dates.human(inv.expiresAt())
                        + ". If you cannot find the email, look in your spam or junk folder, or ask " + contact + " to send it again.")
                .render(templates, orgName, contact, List.of(inv.email()), List.of()));
        if (inviter != null) {
            Notice told = Notice.titled(inv.email() + " has not accepted your invitation to " + orgName + " yet")
                    .paragraph("Your invitation to " + inv.email() + " has been pending for 3 days. We sent them a reminder.");
            if (reachedServer) {
                // Delivered but unanswered: the usual reason is a spam filter (the troubleshooting guide's first question).
                told = told.paragraph("The invitation email reached their mail server on " + Dates.human(delivery.since())
                        + ", so it may be in their spam or junk folder. Ask " + inv.email() + " to look there.");
            }
            run.send("inviter", told
                    .paragraph("It expires on " + Dates.human(inv.expiresAt()) + ". You can resend it, or revoke it if it is no longer needed.")
                    .render(templates, orgName, contact, List.of(inviter), List.of()));
        }
        return StepResult.doneWith(reminded(item, org.get(), run, null));
    }

    private static String undelivered(String email, Delivery delivery) {
        // Only states where SES reported trouble, or never confirmed the send, come here.
        Delivery.Status status = delivery == null ? Delivery.Status.UNCONFIRMED : delivery.status();
        return switch (status) {
            case BOUNCED -> "The invitation email to " + email + " bounced, so no reminder was sent to them. Check the address.";
            case COMPLAINED -> email + " marked the invitation email as spam, so no reminder was sent to them.";
            case FAILED -> "The invitation email to " + email + " could not be sent, so no reminder was sent to them.";
            case DELAYED -> "The invitation email to " + email + " has not reached their mail server yet: SES is still trying"
                    + (delivery.error() == null ? "" : " (" + delivery.error() + ")") + ", so no reminder was sent to them. Check the address.";
            default -> "The invitation email to " + email + " was not confirmed as sent, so no reminder was sent to them.";
        };
    }

    private Write reminded(DueItem item, Organization org, DueRun run, String note) {
        return audit.put(AuditEvent.of(ids.audit(), item.orgId(), run.now(), Actor.system("reminders"), "invitation.reminded",
                AuditEvent.Target.invitation(item.targetId())).withChange("reminder", null, item.kind().key())
                .withNote(note == null ? item.payload(InvitationDue.class).email() : note), org.settings().auditRetentionDays());
    }
}
