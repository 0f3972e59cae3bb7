package io.tenure.invitation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.access.Member;
import io.tenure.access.MemberStore;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.email.Notice;
import io.tenure.id.Ids;
import io.tenure.json.Json;
import io.tenure.log.Log;
import io.tenure.org.Contacts;
import io.tenure.org.OrgSettings;
import io.tenure.org.Organization;
import io.tenure.schedule.DueItems;
import io.tenure.schedule.DueKind;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import io.tenure.value.OrgRole;
import io.tenure.value.RequestStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What filing an invitation request takes, for the member who asks ({@link InvitationRequestService})
 * and for an admin's invite under the two-person rule ({@link InvitationService}): the request
 * item, its expiry step and its audit event in one transaction, then an email to the org's admins.
 */
final class InvitationRequests {
    private final InvitationRequestStore store;
    private final MemberStore members;
    private final AuditLog audit;
    private final EmailSender email;
    private final EmailTemplates templates;
    private final String appBaseUrl;
    private final Ids ids;

    /** For the scheduled steps, which write and send through their run: no emails of its own. */
    InvitationRequests(InvitationRequestStore store, AuditLog audit, Clock clock) {
        this(store, null, audit, null, null, "", clock);
    }

    InvitationRequests(InvitationRequestStore store, MemberStore members, AuditLog audit, EmailSender email,
                       EmailTemplates templates, String appBaseUrl, Clock clock) {
        this.store = store;
        this.members = members;
        this.audit = audit;
        this.email = email;
        this.templates = templates;
        this.appBaseUrl = appBaseUrl.replaceAll("/+$", "");
        this.ids = new Ids(clock);
    }

    InvitationRequestStore store() {
        return store;
    }

    /**
     * Why the two-person rule applies to this invitation, or null when it does not: the org turned
     * it on and the invitation grants the admin role or goes outside the org's internal domains.
     */
    static String secondApprovalBecause(OrgSettings settings, InviteRequest invite) {
        return secondApprovalBecause(settings, invite.orgRole(), invite.emailKey());
    }

    /** As above, for an invitation of {@code orgRole} to the address with this key. */
    static String secondApprovalBecause(OrgSettings settings, OrgRole orgRole, String emailKey) {
        if (!settings.requireSecondApproval()) {
            return null;
        }
        if (orgRole == OrgRole.ADMIN) {
            return "it grants the admin role";
        }
        String domain = emailKey.substring(emailKey.indexOf('@') + 1);
        if (!settings.internalDomains().contains(domain)) {
            return domain + " is not one of the org's internal domains";
        }
        return null;
    }

    /** A new pending request for {@code body} (an invite's body), checked as {@code invite}; an admin's own invite is its first approval. */
    InvitationRequest open(Organization org, InviteRequest invite, ObjectNode body, String reason, Actor requester,
                           boolean requesterIsAdmin, Instant now) {
        String because = secondApprovalBecause(org.settings(), invite);
        List<InvitationRequest.Approval> approvals = requesterIsAdmin
                ? List.of(new InvitationRequest.Approval(requester, now, null, because != null
                        ? "Invited; the two-person rule asks for a second admin" : "Asked for a second admin's approval"))
                : List.of();
        ObjectNode asked = body.deepCopy();
        // An admin's own request (or invite under the rule) is one approval; it always waits for a second admin.
        int needed = because != null || requesterIsAdmin ? 2 : 1;
        return new InvitationRequest(ids.invitationRequest(), org.id(), RequestStatus.PENDING, invite.email(), invite.orgRole(),
                invite.projects(), invite.accessEndsAt(), reason, asked, requester, needed, because,
                approvals, now, now.plus(Duration.ofDays(org.settings().invitationRequestDays())), null, null, null, null, 1);
    }

    /** The writes that file {@code request}: the item, its expiry and the audit event. */
    List<Write> filed(InvitationRequest request, int retentionDays, RequestOrigin origin) {
        Map<String, List<Object>> changes = new HashMap<>();
        changes.put("status", AuditEvent.change(null, RequestStatus.PENDING.json()));
        changes.put("email", AuditEvent.change(null, request.email()));
        changes.put("orgRole", AuditEvent.change(null, request.orgRole().json()));
        changes.put("projects", AuditEvent.change(null, request.projects().stream().map(g -> g.projectId() + ":" + g.role().json()).toList()));
        changes.put("approvalsNeeded", AuditEvent.change(null, request.approvalsNeeded()));
        return List.of(
                store.putNew(request),
                store.dueItems().put(DueKind.REQUEST_EXPIRY, request.orgId(), request.id(), request.expiresAt(),
                        Json.tree(Map.of("requestId", request.id()))),
                audit.put(event(request, request.createdAt(), request.requestedBy(), "invitation_request.created", changes,
                        request.reason(), origin), retentionDays));
    }

    /**
     * Files {@code request} in one transaction with {@code addressCheck} (no active member has the
     * address), then tells the org's admins; the outcome says what refused it, if anything did.
     */
    WriteOutcome file(Organization org, InvitationRequest request, RequestOrigin origin, Write addressCheck) {
        List<Write> items = new ArrayList<>(filed(request, org.settings().auditRetentionDays(), origin));
        items.add(addressCheck);
        WriteOutcome outcome = store.commit(items);
        if (outcome.committed()) {
            tellAdmins(org, request);
        }
        return outcome;
    }

    /** The writes that end a request (approved, denied, expired): its new state, its expiry step gone, the audit event. */
    List<Write> decided(InvitationRequest next, Actor actor, String action, Map<String, List<Object>> changes, String note,
                        int retentionDays, RequestOrigin origin, Instant now) {
        List<Write> writes = new ArrayList<>(List.of(store.decide(next),
                audit.put(event(next, now, actor, action, changes, note, origin), retentionDays)));
        // An expiry is that step itself, which the runner closes; a decision before it cancels it.
        if (next.is(RequestStatus.APPROVED) || next.is(RequestStatus.DENIED)) {
            writes.add(store.dueItems().cancel(DueKind.REQUEST_EXPIRY, next.orgId(), next.id()));
        }
        return writes;
    }

    AuditEvent event(InvitationRequest request, Instant at, Actor actor, String action, Map<String, List<Object>> changes,
                     String note, RequestOrigin origin) {
        AuditEvent event = AuditEvent.of(ids.audit(), request.orgId(), at, actor, action, AuditEvent.Target.invitationRequest(request.id()))
                .withChanges(changes).withNote(note);
        return origin == null ? event : event.from(origin);
    }

    /**
     * Tells the org's admins (all but the requester) that a request waits for them, with a link to
     * it in the console. Best effort: the request stands whether or not the email goes out.
     */
    void tellAdmins(Organization org, InvitationRequest request) {
        List<String> admins = members.all(org.id()).stream().filter(Member::isActive).filter(Member::isAdmin)
                .filter(m -> !request.requestedBy(m.emailKey())).map(Member::email).toList();
        if (admins.isEmpty()) {
            return;
        }
        Notice notice = Notice.titled(org.name() + ": " + request.requestedBy().email() + " asks to invite " + request.email())
                .paragraph(request.requestedBy().email() + " asks for an invitation for " + request.email() + " as "
                        + request.orgRole().json() + (request.projects().isEmpty() ? "" : ", with " + request.projects().size()
                        + " project(s)") + ".")
                .paragraph("Why: " + request.reason())
                .paragraph(request.secondApprovalBecause() != null
                        ? "It needs the approval of two admins, because " + request.secondApprovalBecause() + "."
                        : "It needs " + (request.approvalsNeeded() - request.approvals().size() == 1 ? "one admin's" : "two admins'") + " approval.")
                .paragraph("It expires unanswered on " + io.tenure.email.Dates.human(request.expiresAt()) + ".")
                .link("Approve or deny it", requestsUrl(org.id()));
        try {
            email.send(notice.render(templates, org.name(), Contacts.of(org, admins.get(0)), admins, List.of()));
        } catch (EmailDeliveryException e) {
            Log.warn("invitation request email not sent", "requestId", request.id(), "error", e.getClass().getSimpleName());
        }
    }

    /** Tells the requester what became of their request. Best effort, as {@link #tellAdmins}. */
    void tellRequester(Organization org, InvitationRequest request, String subject, String... paragraphs) {
        if (request.requestedBy().email() == null) {
            return;
        }
        Notice notice = Notice.titled(subject);
        for (String paragraph : paragraphs) {
            notice.paragraph(paragraph);
        }
        try {
            email.send(notice.render(templates, org.name(), Contacts.of(org, request.requestedBy().email()),
                    List.of(request.requestedBy().email()), List.of()));
        } catch (EmailDeliveryException e) {
            Log.warn("invitation request email not sent", "requestId", request.id(), "error", e.getClass().getSimpleName());
        }
    }

    String requestsUrl(String orgId) {
        return appBaseUrl + "/console/orgs/" + orgId + "/requests";
    }
}
