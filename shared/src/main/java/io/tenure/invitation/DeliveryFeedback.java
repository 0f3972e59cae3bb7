package io.tenure.invitation;

import io.tenure.log.Log;

import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.email.Notice;
import io.tenure.id.Ids;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.store.WriteOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What SES reports of invitation emails (SPEC §5, issue 15): the invitation's
 * {@code delivery.status} becomes {@code delivered}, {@code delayed}, {@code bounced} or
 * {@code complained}, and the change is audited. A bounce or complaint is published as
 * {@code invitation.delivery_failed} and the inviter is told. A repeated report, or one that
 * arrives after a later one (a delay after the delivery), changes nothing and tells no one.
 */
public final class DeliveryFeedback {
    private final InvitationStore store;
    private final OrgStore orgs;
    private final AuditLog audit;
    private final EmailSender email;
    private final EmailTemplates templates;
    private final Clock clock;
    private final Ids ids;

    public DeliveryFeedback(InvitationStore store, OrgStore orgs, AuditLog audit, EmailSender email, EmailTemplates templates, Clock clock) {
        this.store = store;
        this.orgs = orgs;
        this.audit = audit;
        this.email = email;
        this.templates = templates;
        this.clock = clock;
        this.ids = new Ids(clock);
    }

    /**
     * @param status what SES reported: delivered, delayed, bounced or complained
     * @param reason SES's own words for it (bounce type, feedback type, delay), safe to store; null for a delivery
     * @param reportedAt when SES says it happened (a delivery: when the receiving server took the email); null: now
     * @return what happened: {@code recorded}, or {@code ignored} for a message that is not an
     *     invitation's latest email, or a report already recorded or overtaken
     */
    public String record(String messageId, Delivery.Status status, String reason, Instant reportedAt) {
        Optional<InvitationStore.SentMessage> sent = store.sentMessage(messageId);
        if (sent.isEmpty()) {
            return "ignored";
        }
        String orgId = sent.get().orgId();
        String invitationId = sent.get().invitationId();
        Optional<Invitation> invitation = store.find(orgId, invitationId);
        Optional<Organization> org = orgs.find(orgId);
        if (invitation.isEmpty() || org.isEmpty()) {
            return "ignored";
        }
        Instant now = clock.instant();
        Delivery delivery = new Delivery(status, messageId, reason, reportedAt == null ? now : reportedAt);
        String before = invitation.get().delivery() == null ? null : invitation.get().delivery().status().value();
        boolean failed = status == Delivery.Status.BOUNCED || status == Delivery.Status.COMPLAINED;
        String action = failed ? "invitation.delivery_failed"
                : status == Delivery.Status.DELIVERED ? "invitation.delivered" : "invitation.delivery_delayed";
        WriteOutcome outcome = store.commit(List.of(
                store.recordFeedback(orgId, invitationId, delivery, now),
                audit.put(AuditEvent.of(ids.audit(), orgId, now, Actor.system("ses"), action,
                        AuditEvent.Target.invitation(invitationId)).withChange("delivery.status", before, status.value()).withNote(reason),
                        org.get().settings().auditRetentionDays())));
        if (!outcome.committed()) {
            return "ignored";
        }
        if (failed) {
            tellInviter(org.get(), invitation.get(), status);
        }
        return "recorded";
    }

    private void tellInviter(Organization org, Invitation invitation, Delivery.Status status) {
        String inviter = invitation.createdBy() == null ? null : invitation.createdBy().email();
        if (inviter == null) {
            return;
        }
        Notice notice = status == Delivery.Status.COMPLAINED
                ? Notice.titled(invitation.email() + " marked your invitation to " + org.name() + " as spam")
                        .paragraph(invitation.email() + " reported the invitation email as unwanted. No more emails will reach them from Tenure for now.")
                        .paragraph("If the invitation was expected, ask them by another channel, then resend it; otherwise revoke it.")
                : Notice.titled("Your invitation to " + invitation.email() + " could not be delivered")
                        .paragraph("The invitation email to " + invitation.email() + " for " + org.name() + " bounced.")
                        .paragraph("Check the address. If it is wrong, revoke this invitation and invite the right one; if it is right, resend it later.");
        String contact = org.settings().supportContact() == null ? inviter : org.settings().supportContact();
        try {
            email.send(notice.render(templates, org.name(), contact, List.of(inviter), List.of()));
        } catch (EmailDeliveryException e) {
            Log.warn("delivery failure notice not sent");
        }
    }
}
