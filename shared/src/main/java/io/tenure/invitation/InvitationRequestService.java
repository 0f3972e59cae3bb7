package io.tenure.invitation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.access.Caller;
import io.tenure.access.Member;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.access.Membership;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.error.FieldError;
import io.tenure.error.ForbiddenException;
import io.tenure.error.InvalidStateException;
import io.tenure.error.NotFoundException;
import io.tenure.error.ValidationFailedException;
import io.tenure.validation.BodyReader;
import io.tenure.json.Json;
import io.tenure.org.OrgSettings;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import io.tenure.store.Found;
import io.tenure.store.Page;
import io.tenure.store.Read;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import io.tenure.value.ProjectRole;
import io.tenure.value.RequestStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Invitation requests and their approval (issue 14): members ask for an invitation when the org's
 * {@code invitationRequests} lets them, admins list, approve or deny, and an approved request
 * becomes the invitation it asked for. Under the two-person rule a request needs two admins, and
 * nobody approves their own request or approves twice. The requester hears of each outcome.
 */
public final class InvitationRequestService {
    /** What a failed condition of a decision means. */
    enum Refusal { DECIDED, MEMBER }

    /** The most projects one request names (BatchGetItem takes 100 keys). */
    private static final int MAX_PROJECTS = 90;

    private final InvitationRequestStore store;
    private final InvitationStore invitationStore;
    private final InvitationService invitations;
    private final InvitationRequests requests;
    private final OrgStore orgs;
    private final MemberStore members;
    private final MemberAccess access;
    private final Clock clock;

    public InvitationRequestService(InvitationStore invitationStore, InvitationService invitations, OrgStore orgs,
                                    MemberAccess access, AuditLog audit, EmailSender email, EmailTemplates templates,
                                    String appBaseUrl, Clock clock) {
        this.invitationStore = invitationStore;
        this.store = invitationStore.requests();
        this.members = invitationStore.members();
        this.invitations = invitations;
        this.requests = new InvitationRequests(store, members, audit, email, templates, appBaseUrl, clock);
        this.orgs = orgs;
        this.access = access;
        this.clock = clock;
    }

    /** Refuses (404) a caller who is not a member of the org; a repeated request is answered only to a member still. */
    public void requireMember(Caller caller, String orgId) {
        access.requireMember(caller, orgId);
    }

    /** Refuses (404, 403) a caller who is not an admin of the org: a repeated decision is answered only to an admin still. */
    public void requireAdmin(Caller caller, String orgId) {
        access.requireAdmin(caller, orgId);
    }

    /** What an approval did: the request as it stands, and the invitation it made when it was the last one needed. */
    public record Decision(InvitationRequest request, Invitation invitation, List<Warning> warnings) {
    }

    /**
     * A member asks for an invitation: the body of an invite and a {@code reason}. Checked as an
     * invite is, now; refused (403) when the org takes no requests from the caller. An admin may
     * always ask: their request counts as their approval and waits for a second admin's.
     */
    public InvitationRequest file(Caller caller, String orgId, ObjectNode body, RequestOrigin origin) {
        Read<MemberStore.Guard> guard = access.guardRead(caller, orgId);
        Read<Organization> orgRead = orgs.findRead(orgId);
        JsonNode asked = body.get("invitation");
        ObjectNode invite = asked != null && asked.isObject() ? (ObjectNode) asked : Json.object();
        Set<String> projectIds = InviteValidator.namedProjectIds(invite);
        if (projectIds.size() > MAX_PROJECTS) {
            throw ValidationFailedException.of("/invitation/projects", "must name at most " + MAX_PROJECTS + " projects");
        }
        List<Read<Project>> projectReads = projectIds.stream().map(id -> orgs.projectRead(orgId, id)).toList();
        List<Read<?>> reads = new ArrayList<>(List.of(guard, orgRead));
        reads.addAll(projectReads);
        String emailKey = InviteValidator.emailKeyOf(invite);
        Read<InvitationStore.PendingHold> holdRead = emailKey == null ? null : invitationStore.pendingHoldRead(orgId, emailKey);
        if (holdRead != null) {
            reads.add(holdRead);
        }
        Found found = store.read(reads.toArray(Read<?>[]::new));
        Membership me = access.requireMember(caller, orgId, found.get(guard));
        Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
        // An admin may always ask: their request is their approval, and it waits for another admin's.
        String policy = me.isAdmin() ? OrgSettings.REQUESTS_BY_MEMBERS : org.settings().invitationRequests();
        if (OrgSettings.REQUESTS_OFF.equals(policy)) {
            throw new ForbiddenException("This organization does not take invitation requests; ask one of its admins to invite.");
        }
        Instant now = clock.instant();
        BodyReader in = new BodyReader(body);
        in.onlyFields(Set.of("reason", "invitation"));
        if (asked == null || !asked.isObject()) {
            in.error("/invitation", "is required: the invitation asked for, as the body of an invite");
        } else if (invite.path("replaceExisting").asBoolean(false)) {
            in.error("/invitation/replaceExisting", "is not for requests: an approved request never replaces an invitation");
        }
        String reason = in.text("reason", 1, 500, true);
        List<Project> projects = projectReads.stream().map(found::get).flatMap(Optional::stream).toList();
        InviteRequest checked = null;
        if (asked != null && asked.isObject()) {
            try {
                checked = InviteValidator.validate(org, projects, invite, now);
            } catch (ValidationFailedException e) {
                e.errors().forEach(err -> in.error("/invitation" + err.pointer(), err.message()));
            }
        }
        in.throwIfInvalid();
        if (OrgSettings.REQUESTS_BY_MANAGERS.equals(policy)) {
            requireManagerOfAll(orgId, me, checked);
        }
        Optional<InvitationStore.PendingHold> hold = holdRead == null ? Optional.empty()
                : found.get(holdRead).filter(h -> h.expiresAt().isAfter(now));
        if (hold.isPresent()) {
            throw new InvitationPendingException(hold.get().invitationId());
        }
        InvitationRequest request = requests.open(org, checked, invite, reason, Actor.user(caller.sub(), caller.email()), me.isAdmin(), now);
        WriteOutcome outcome = requests.file(org, request, origin,
                invitationStore.noActiveMember(orgId, checked.emailKey()).refusedAs(Refusal.MEMBER));
        if (outcome.refusedAs(Refusal.MEMBER)) {
            throw new AlreadyMemberException(invitationStore.activeMemberId(orgId, checked.emailKey()).orElse(null));
        }
        if (!outcome.committed()) {
            throw new InvalidStateException("The request could not be stored; try again.");
        }
        return request;
    }

    /** Under {@code managers}, a project manager asks only for the projects they manage, and for at least one. */
    private void requireManagerOfAll(String orgId, Membership me, InviteRequest checked) {
        Map<String, ProjectRole> mine = members.find(orgId, me.memberId()).map(Member::projects).orElse(Map.of());
        if (checked.projects().isEmpty()) {
            throw new ForbiddenException("In this organization project managers request invitations to the projects they manage;"
                    + " name at least one of them.");
        }
        for (ProjectGrant grant : checked.projects()) {
            if (mine.get(grant.projectId()) != ProjectRole.MANAGER) {
                throw new ForbiddenException("In this organization project managers request invitations to the projects they"
                        + " manage; you do not manage " + grant.projectId() + ".");
            }
        }
    }

    /** The org's requests, newest first: every request for admins, their own for other members. */
    public Page<InvitationRequest> list(Caller caller, String orgId, String status, int limit, String cursor) {
        Membership me = access.requireMember(caller, orgId);
        RequestStatus wanted = null;
        if (status != null && !status.isEmpty()) {
            wanted = RequestStatus.find(status).orElseThrow(() -> ValidationFailedException.of("/status",
                    "must be one of " + String.join(", ", RequestStatus.jsonNames())));
        }
        String afterSk = null;
        if (cursor != null && !cursor.isBlank()) {
            afterSk = Page.decodeCursor(cursor);
            if (afterSk == null || !afterSk.startsWith(io.tenure.store.TableKeys.InvitationRequest.SK_PREFIX)) {
                throw ValidationFailedException.of("/cursor", "is not a cursor of this list; start again without it");
            }
        }
        return store.list(orgId, wanted, me.isAdmin() ? null : caller.emailKey(), clock.instant(), limit, afterSk);
    }

    /** One request, for admins and for the member who made it (404 for others). */
    public InvitationRequest get(Caller caller, String orgId, String requestId) {
        Membership me = access.requireMember(caller, orgId);
        InvitationRequest request = store.find(orgId, requestId).orElseThrow(NotFoundException::new).asOf(clock.instant());
        if (!me.isAdmin() && !request.requestedBy(caller.emailKey())) {
            throw new NotFoundException();
        }
        return request;
    }

    /**
     * An admin approves: with {@code approvalReference} (a ticket or change number) and a
     * {@code note}, both optional. The last approval needed makes the invitation, sent as from the
     * requester, in the same transaction as the request's decision.
     */
    public Decision approve(Caller caller, String orgId, String requestId, ObjectNode body, RequestOrigin origin) {
        Read<MemberStore.Guard> guard = access.guardRead(caller, orgId);
        Read<Organization> orgRead = orgs.findRead(orgId);
        Read<InvitationRequest> requestRead = store.findRead(orgId, requestId);
        Found found = store.read(guard, orgRead, requestRead);
        access.requireAdmin(caller, orgId, found.get(guard));
        Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
        Instant now = clock.instant();
        InvitationRequest request = pending(found.get(requestRead), now, "approved");
        if (request.requestedBy().email() != null
                && members.guard(orgId, io.tenure.value.EmailAddress.key(request.requestedBy().email())).isEmpty()) {
            // The invitation would be theirs, and an invitation whose inviter left cannot be accepted.
            throw new InvalidStateException("The member who asked for this invitation no longer has access; deny the request.");
        }
        if (request.requestedBy(caller.emailKey())) {
            throw new SelfApprovalException("You asked for this invitation; another admin must approve it.");
        }
        if (request.approvedBy(caller.emailKey())) {
            throw new SelfApprovalException("You approved this request already; it needs another admin's approval.");
        }
        BodyReader in = new BodyReader(body);
        in.onlyFields(Set.of("approvalReference", "note"));
        String reference = in.text("approvalReference", 1, 200, false);
        String note = in.text("note", 1, 500, false);
        in.throwIfInvalid();
        Actor actor = Actor.user(caller.sub(), caller.email());
        InvitationRequest.Approval approval = new InvitationRequest.Approval(actor, now, reference, note);
        int retention = org.settings().auditRetentionDays();
        Map<String, List<Object>> changes = Map.of("approvals", AuditEvent.change(request.approvals().size(), request.approvals().size() + 1));
        // The org may have turned the two-person rule on since the request was filed: it counts now.
        boolean needsAnother = !request.lastApprovalNext() || (request.approvals().isEmpty()
                && InvitationRequests.secondApprovalBecause(org.settings(), request.orgRole(),
                io.tenure.value.EmailAddress.key(request.email())) != null);
        if (needsAnother) {
            InvitationRequest next = request.approved(approval, null);
            if (next.is(RequestStatus.APPROVED)) {
                // Only the rule turned on since: one more approval than the request asked for.
                next = request.withApprovalPending(approval);
            }
            // Not yet approved: recorded, and not published as the request's approval.
            commit(requests.decided(next, actor, "invitation_request.approval_added", changes, note(reference, note), retention, origin, now));
            return new Decision(next, null, List.of());
        }
        List<InvitationRequest.Approval> all = new ArrayList<>(request.approvals());
        all.add(approval);
        InvitationRequest[] decided = new InvitationRequest[1];
        InviteResult result = invitations.inviteApproved(request.requestedBy(), org, projects(orgId, request), request.invite(), origin,
                new InvitationService.Approved(new InvitationApproval(request.id(), List.copyOf(all)), invitation -> {
                    decided[0] = request.approved(approval, invitation.id());
                    Map<String, List<Object>> more = new java.util.HashMap<>(changes);
                    more.put("status", AuditEvent.change(RequestStatus.PENDING.json(), RequestStatus.APPROVED.json()));
                    more.put("invitationId", AuditEvent.change(null, invitation.id()));
                    List<Write> writes = new ArrayList<>(requests.decided(decided[0], actor, "invitation_request.approved", more,
                            note(reference, note), retention, origin, now));
                    writes.set(0, writes.get(0).refusedAs(Refusal.DECIDED));
                    return writes;
                }));
        requests.tellRequester(org, decided[0], "Your request to invite " + request.email() + " was approved",
                "Your request to invite " + request.email() + " to " + org.name() + " was approved by " + caller.email() + ".",
                "The invitation was sent to " + request.email() + "; it expires on "
                        + io.tenure.email.Dates.human(result.invitation().expiresAt()) + ".");
        return new Decision(decided[0], result.invitation(), result.warnings());
    }

    /** An admin denies, with a {@code reason} the requester is told. */
    public InvitationRequest deny(Caller caller, String orgId, String requestId, ObjectNode body, RequestOrigin origin) {
        Read<MemberStore.Guard> guard = access.guardRead(caller, orgId);
        Read<Organization> orgRead = orgs.findRead(orgId);
        Read<InvitationRequest> requestRead = store.findRead(orgId, requestId);
        Found found = store.read(guard, orgRead, requestRead);
        access.requireAdmin(caller, orgId, found.get(guard));
        Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
        Instant now = clock.instant();
        InvitationRequest request = pending(found.get(requestRead), now, "denied");
        BodyReader in = new BodyReader(body);
        in.onlyFields(Set.of("reason"));
        String reason = in.text("reason", 1, 500, true);
        in.throwIfInvalid();
        Actor actor = Actor.user(caller.sub(), caller.email());
        InvitationRequest next = request.denied(actor, reason, now);
        commit(requests.decided(next, actor, "invitation_request.denied",
                Map.of("status", AuditEvent.change(RequestStatus.PENDING.json(), RequestStatus.DENIED.json())), reason,
                org.settings().auditRetentionDays(), origin, now));
        requests.tellRequester(org, next, "Your request to invite " + request.email() + " was denied",
                "Your request to invite " + request.email() + " to " + org.name() + " was denied by " + caller.email() + ".",
                "Why: " + reason, "Nothing was sent to " + request.email() + ".");
        return next;
    }

    private InvitationRequest pending(Optional<InvitationRequest> found, Instant now, String verb) {
        InvitationRequest request = found.orElseThrow(NotFoundException::new).asOf(now);
        if (!request.is(RequestStatus.PENDING)) {
            throw new InvalidStateException("This request is " + request.status().json() + "; only a pending request can be " + verb + ".");
        }
        return request;
    }

    private void commit(List<Write> writes) {
        List<Write> refusable = new ArrayList<>(writes);
        refusable.set(0, refusable.get(0).refusedAs(Refusal.DECIDED));
        if (!store.commit(refusable).committed()) {
            throw new InvalidStateException("This request was decided meanwhile; read it again.");
        }
    }

    /** The projects the request names, as they are now (one BatchGetItem). */
    private List<Project> projects(String orgId, InvitationRequest request) {
        List<Read<Project>> reads = InviteValidator.namedProjectIds(request.invite()).stream()
                .map(id -> orgs.projectRead(orgId, id)).toList();
        if (reads.isEmpty()) {
            return List.of();
        }
        Found found = store.read(reads.toArray(Read<?>[]::new));
        return reads.stream().map(found::get).flatMap(Optional::stream).toList();
    }

    private static String note(String reference, String note) {
        if (reference == null) {
            return note;
        }
        return note == null ? "reference " + reference : note + " (reference " + reference + ")";
    }
}
