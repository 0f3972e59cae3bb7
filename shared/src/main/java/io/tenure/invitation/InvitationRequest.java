package io.tenure.invitation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.Actor;
import io.tenure.value.EmailAddress;
import io.tenure.value.OrgRole;
import io.tenure.value.RequestStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A request for an invitation that admins approve or deny (issue 14). A member asks for it (when
 * the org's {@code invitationRequests} allows them), or an admin's invite becomes one when the
 * org's two-person rule ({@code requireSecondApproval}) applies to it. {@code status} is as
 * stored; {@link #asOf} gives the status a reader sees.
 *
 * @param invite the invitation asked for: the body of {@code POST …/invitations}, as checked when asked
 * @param reason why the requester needs it
 * @param approvalsNeeded 1, or 2 under the two-person rule ({@code secondApprovalBecause} says why)
 * @param approvals who approved, in order; an admin whose invite became a request is its first
 * @param invitationId the invitation the last approval made
 */
public record InvitationRequest(
        String id,
        String orgId,
        RequestStatus status,
        String email,
        OrgRole orgRole,
        List<ProjectGrant> projects,
        Instant accessEndsAt,
        String reason,
        ObjectNode invite,
        Actor requestedBy,
        int approvalsNeeded,
        String secondApprovalBecause,
        List<Approval> approvals,
        Instant createdAt,
        Instant expiresAt,
        Actor deniedBy,
        String denialReason,
        Instant decidedAt,
        String invitationId,
        long version) {

    /** One admin's approval, with the reference they gave (a ticket, a change number) and a note. */
    public record Approval(Actor by, Instant at, String reference, String note) {
    }

    /** As read at {@code now}: a pending request past its expiry reads as expired. */
    public InvitationRequest asOf(Instant now) {
        if (status == RequestStatus.PENDING && !expiresAt.isAfter(now)) {
            return with(RequestStatus.EXPIRED, approvals, deniedBy, denialReason, decidedAt, invitationId, version);
        }
        return this;
    }

    public boolean is(RequestStatus wanted) {
        return status == wanted;
    }

    /** Whether the person with this address key ({@link EmailAddress#key}) asked for it. */
    public boolean requestedBy(String emailKey) {
        return samePerson(requestedBy, emailKey);
    }

    /** Whether the person with this address key approved it already. */
    public boolean approvedBy(String emailKey) {
        return approvals.stream().anyMatch(a -> samePerson(a.by(), emailKey));
    }

    /** One person per address in an org: the same key as members and their guards use. */
    private static boolean samePerson(Actor actor, String emailKey) {
        return actor.email() != null && EmailAddress.key(actor.email()).equals(emailKey);
    }

    /** This request with one more approval; approved, with its invitation, when that was the last one needed. */
    public InvitationRequest approved(Approval approval, String madeInvitationId) {
        List<Approval> more = new ArrayList<>(approvals);
        more.add(approval);
        boolean last = more.size() >= approvalsNeeded;
        return with(last ? RequestStatus.APPROVED : RequestStatus.PENDING, List.copyOf(more), null, null,
                last ? approval.at() : null, last ? madeInvitationId : null, version + 1);
    }

    /** This request with one more approval and still pending, needing one more (the two-person rule turned on since it was filed). */
    public InvitationRequest withApprovalPending(Approval approval) {
        List<Approval> more = new ArrayList<>(approvals);
        more.add(approval);
        return new InvitationRequest(id, orgId, RequestStatus.PENDING, email, orgRole, projects, accessEndsAt, reason, invite,
                requestedBy, Math.max(approvalsNeeded, more.size() + 1), "the organization's two-person rule applies now",
                List.copyOf(more), createdAt, expiresAt, null, null, null, null, version + 1);
    }

    /** Whether one more approval decides it. */
    public boolean lastApprovalNext() {
        return approvals.size() + 1 >= approvalsNeeded;
    }

    public InvitationRequest denied(Actor by, String why, Instant at) {
        return with(RequestStatus.DENIED, approvals, by, why, at, null, version + 1);
    }

    public InvitationRequest expired(Instant at) {
        return with(RequestStatus.EXPIRED, approvals, null, null, at, null, version + 1);
    }

    private InvitationRequest with(RequestStatus newStatus, List<Approval> newApprovals, Actor newDeniedBy, String newDenial,
                                   Instant newDecidedAt, String newInvitationId, long newVersion) {
        return new InvitationRequest(id, orgId, newStatus, email, orgRole, projects, accessEndsAt, reason, invite, requestedBy,
                approvalsNeeded, secondApprovalBecause, newApprovals, createdAt, expiresAt, newDeniedBy, newDenial, newDecidedAt,
                newInvitationId, newVersion);
    }
}
