package io.tenure.invitation;

import io.tenure.value.InvitationNote;

import io.tenure.audit.Actor;
import java.time.Instant;
import java.util.List;

/**
 * An invitation (SPEC §1, §5). The token is never part of it: only its hash is stored, on the
 * token item. {@code status} is as stored; {@link #asOf} gives the status a reader sees.
 *
 * @param ttlDays the link lifetime chosen at invite time, reused by resend
 */
public record Invitation(
        String id,
        String orgId,
        String email,
        String emailKey,
        String orgRole,
        List<ProjectGrant> projects,
        InvitationNote note,
        Instant accessEndsAt,
        List<String> stakeholders,
        String status,
        Instant expiresAt,
        int ttlDays,
        Actor createdBy,
        int sendCount,
        Instant lastSentAt,
        Delivery delivery,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public static final String PENDING = "pending";
    public static final String EXPIRED = "expired";

    /**
     * The invitation as read at {@code now}: a pending one past its expiry reads as expired, and a
     * send not confirmed in time reads as {@code unconfirmed} ({@link Delivery#asOf}).
     */
    public Invitation asOf(Instant now) {
        String shownStatus = PENDING.equals(status) && !expiresAt.isAfter(now) ? EXPIRED : status;
        Delivery shownDelivery = delivery == null ? null : delivery.asOf(now);
        if (shownStatus.equals(status) && shownDelivery == delivery) {
            return this;
        }
        return new Invitation(id, orgId, email, emailKey, orgRole, projects, note, accessEndsAt, stakeholders, shownStatus,
                expiresAt, ttlDays, createdBy, sendCount, lastSentAt, shownDelivery, createdAt, updatedAt, version);
    }

    public Invitation withStatus(String newStatus) {
        return new Invitation(id, orgId, email, emailKey, orgRole, projects, note, accessEndsAt, stakeholders, newStatus,
                expiresAt, ttlDays, createdBy, sendCount, lastSentAt, delivery, createdAt, updatedAt, version);
    }

    /** The same invitation as last sent at {@code at} (a refused resend is not a send). */
    public Invitation withLastSentAt(Instant at) {
        return new Invitation(id, orgId, email, emailKey, orgRole, projects, note, accessEndsAt, stakeholders, status,
                expiresAt, ttlDays, createdBy, sendCount, at, delivery, createdAt, updatedAt, version);
    }

    public Invitation withDelivery(Delivery newDelivery, Instant at) {
        return new Invitation(id, orgId, email, emailKey, orgRole, projects, note, accessEndsAt, stakeholders, status,
                expiresAt, ttlDays, createdBy, sendCount, lastSentAt, newDelivery, createdAt, at, version + 1);
    }
}
