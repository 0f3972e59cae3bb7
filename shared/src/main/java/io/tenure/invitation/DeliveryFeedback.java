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
 * Bounces and complaints that SES reports for invitation emails (SPEC §5): the invitation's
 * {@code delivery.status} becomes {@code bounced} or {@code complained}, the change is audited
 * (and published as {@code invitation.delivery_failed}), and the inviter is told. A repeated
 * report changes nothing and tells no one again.
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
     * @param status {@code bounced} or {@code complained}
     * @param reason SES's own words for it (bounce type, feedback type), safe to store
     * @return what happened: {@code recorded}, or {@code ignored} for a message that is not an
     *     invitation's latest email or was already recorded
     */
    public String record(String messageId, String status, String reason) {
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
        Delivery delivery = new Delivery(Delivery.Status.of(status), messageId, reason, now);
        String before = invitation.get().delivery() == null ? null : invitation.get().delivery().status().value();
        WriteOutcome outcome = store.commit(List.of(
                store.recordFeedback(orgId, invitationId, delivery, now),
                audit.put(AuditEvent.of(ids.audit(), orgId, now, Actor.system("ses"), "invitation.delivery_failed",
                        AuditEvent.Target.invitation(invitationId)).withChange("delivery.status", before, status).withNote(reason),
                        org.get().settings().auditRetentionDays())));
        if (!outcome.committed()) {
            return "ignored";
        }
        tellInviter(org.get(), invitation.get(), status);
        return "recorded";
    }

    private void tellInviter(Organization org, Invitation invitation, String status) {
        String inviter = invitation.createdBy() == null ? null : invitation.createdBy().email();
        if (inviter == null) {
            return;
        }
        Notice notice = "complained".equals(status)
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
