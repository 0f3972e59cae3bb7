package io.tenure.invitation;

import io.tenure.access.Member;
import io.tenure.audit.Actor;
import io.tenure.value.InvitationNote;
import io.tenure.value.InvitationStatus;
import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An invitation (SPEC §1, §5). The token is never part of it: only its hash is stored, on the
 * token item. {@code status} is as stored; {@link #asOf} gives the status a reader sees.
 *
 * @param ttlDays the link lifetime chosen at invite time, reused by resend
 * @param approval how it was approved, when it was made from an approved request (issue 14); null otherwise
 */
public record Invitation(
        String id,
        String orgId,
        String email,
        String emailKey,
        OrgRole orgRole,
        List<ProjectGrant> projects,
        InvitationNote note,
        Instant accessEndsAt,
        List<String> stakeholders,
        InvitationStatus status,
        Instant expiresAt,
        int ttlDays,
        Actor createdBy,
        int sendCount,
        Instant lastSentAt,
        Delivery delivery,
        Instant createdAt,
        Instant updatedAt,
        long version,
        InvitationApproval approval) {

    /** A new pending invitation for a validated request, its first email being sent at {@code now}. */
    public static Invitation sent(String id, String orgId, InviteRequest request, Actor createdBy, Instant now) {
        return sent(id, orgId, request, createdBy, now, null);
    }

    /** As {@link #sent(String, String, InviteRequest, Actor, Instant)}, made from an approved request ({@code approval} null: not). */
    public static Invitation sent(String id, String orgId, InviteRequest request, Actor createdBy, Instant now, InvitationApproval approval) {
        return new Invitation(id, orgId, request.email(), request.emailKey(), request.orgRole(), request.projects(),
                request.note(), request.accessEndsAt(), request.stakeholders(), InvitationStatus.PENDING,
                now.plus(Duration.ofDays(request.expiresInDays())), request.expiresInDays(), createdBy,
                1, now, Delivery.sending(now), now, now, 1, approval);
    }

    /** This invitation resent at {@code now}: pending again until {@code newExpiresAt}, one more send; the next version. */
    public Invitation renewed(Instant newExpiresAt, Instant now) {
        return new Invitation(id, orgId, email, emailKey, orgRole, projects, note, accessEndsAt, stakeholders,
                InvitationStatus.PENDING, newExpiresAt, ttlDays, createdBy, sendCount + 1, now, Delivery.sending(now),
                createdAt, now, version + 1, approval);
    }

    /**
     * This pending invitation sent to {@code newEmail} instead at {@code now} (a corrected
     * address, issue 15): the same id, roles, note and expiry, one more send; the next version.
     */
    public Invitation readdressed(String newEmail, String newEmailKey, Instant now) {
        return new Invitation(id, orgId, newEmail, newEmailKey, orgRole, projects, note, accessEndsAt, stakeholders,
                status, expiresAt, ttlDays, createdBy, sendCount + 1, now, Delivery.sending(now), createdAt, now, version + 1, approval);
    }

    /** The member that accepting this invitation at {@code now} makes, with what it offered. */
    public Member acceptedAs(String memberId, Instant now) {
        Map<String, ProjectRole> roles = new LinkedHashMap<>();
        projects.forEach(g -> roles.put(g.projectId(), g.role()));
        return Member.accepted(memberId, orgId, email, emailKey, orgRole, roles, accessEndsAt, stakeholders, note,
                createdBy == null ? null : createdBy.email(), id, now);
    }

    /**
     * The invitation as read at {@code now}: a pending one past its expiry reads as expired, and a
     * send not confirmed in time reads as {@code unconfirmed} ({@link Delivery#asOf}).
     */
    public Invitation asOf(Instant now) {
        InvitationStatus shownStatus = status == InvitationStatus.PENDING && !expiresAt.isAfter(now) ? InvitationStatus.EXPIRED : status;
        Delivery shownDelivery = delivery == null ? null : delivery.asOf(now);
        if (shownStatus == status && shownDelivery == delivery) {
            return this;
        }
        return new Invitation(id, orgId, email, emailKey, orgRole, projects, note, accessEndsAt, stakeholders, shownStatus,
                expiresAt, ttlDays, createdBy, sendCount, lastSentAt, shownDelivery, createdAt, updatedAt, version, approval);
    }

    public boolean is(InvitationStatus wanted) {
        return status == wanted;
    }

    public Invitation withStatus(InvitationStatus newStatus) {
        return new Invitation(id, orgId, email, emailKey, orgRole, projects, note, accessEndsAt, stakeholders, newStatus,
                expiresAt, ttlDays, createdBy, sendCount, lastSentAt, delivery, createdAt, updatedAt, version, approval);
    }

    /** The same invitation as last sent at {@code at} (a refused resend is not a send). */
    public Invitation withLastSentAt(Instant at) {
        return new Invitation(id, orgId, email, emailKey, orgRole, projects, note, accessEndsAt, stakeholders, status,
                expiresAt, ttlDays, createdBy, sendCount, at, delivery, createdAt, updatedAt, version, approval);
    }

    public Invitation withDelivery(Delivery newDelivery, Instant at) {
        return new Invitation(id, orgId, email, emailKey, orgRole, projects, note, accessEndsAt, stakeholders, status,
                expiresAt, ttlDays, createdBy, sendCount, lastSentAt, newDelivery, createdAt, at, version + 1, approval);
    }
}
