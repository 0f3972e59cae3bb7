package io.tenure.schedule;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.invitation.Invitation;
import io.tenure.json.Json;
import io.tenure.access.Member;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Which steps a change makes due (SPEC §6), as transaction items to commit with that change: an
 * invitation gets its 72-hour nudge and its expiry; a member gets the 14- and 7-day warnings, the
 * removal at accessEndsAt and the 30-day check-in; an org gets its quarterly review.
 */
public final class DuePlans {
    static final Duration NUDGE_AFTER = Duration.ofHours(72);
    static final Duration WARN_COLLABORATOR = Duration.ofDays(14);
    static final Duration WARN_INVITER = Duration.ofDays(7);
    static final Duration CHECKIN_AFTER = Duration.ofDays(30);

    private final DueItems due;

    public DuePlans(DueItems due) {
        this.due = due;
    }

    /** A new invitation: nudge at 72 h (if it is still pending then), expiry at expiresAt. */
    public List<Write> invitation(Invitation invitation) {
        ObjectNode payload = invitationPayload(invitation);
        List<Write> items = new ArrayList<>();
        if (invitation.createdAt().plus(NUDGE_AFTER).isBefore(invitation.expiresAt())) {
            items.add(due.put(DueKind.INVITE_NUDGE, invitation.orgId(), invitation.id(), invitation.createdAt().plus(NUDGE_AFTER), payload));
        }
        items.add(due.put(DueKind.INVITE_EXPIRY, invitation.orgId(), invitation.id(), invitation.expiresAt(), payload));
        return items;
    }

    /** A resent invitation: its expiry moves to the new expiresAt. */
    public Write resent(Invitation invitation) {
        return due.put(DueKind.INVITE_EXPIRY, invitation.orgId(), invitation.id(), invitation.expiresAt(), invitationPayload(invitation));
    }

    /** An invitation that was accepted or revoked: nothing more happens to it. */
    public List<Write> invitationClosed(String orgId, String invitationId) {
        return List.of(due.cancel(DueKind.INVITE_NUDGE, orgId, invitationId), due.cancel(DueKind.INVITE_EXPIRY, orgId, invitationId));
    }

    /**
     * A member's steps from {@code now}: warnings whose time has not passed, the removal at
     * accessEndsAt, and the check-in 30 days after acceptance unless the access ends first.
     * Steps of an earlier plan that no longer apply are cancelled.
     */
    public List<Write> member(Member member, Instant now) {
        ObjectNode payload = memberPayload(member);
        List<Write> items = new ArrayList<>();
        Instant end = member.accessEndsAt();
        plan(items, DueKind.ACCESS_WARN_14D, member, end == null ? null : end.minus(WARN_COLLABORATOR), now, payload);
        plan(items, DueKind.ACCESS_WARN_7D, member, end == null ? null : end.minus(WARN_INVITER), now, payload);
        plan(items, DueKind.ACCESS_END, member, end, null, payload);
        Instant checkin = member.acceptedAt() == null || member.invitedBy() == null ? null : member.acceptedAt().plus(CHECKIN_AFTER);
        plan(items, DueKind.CHECKIN_30D, member, checkin != null && (end == null || checkin.isBefore(end)) ? checkin : null, now, payload);
        return items;
    }

    /** A removed member: nothing more happens to them. */
    public List<Write> memberClosed(String orgId, String memberId) {
        List<Write> items = new ArrayList<>(memberReminders(orgId, memberId));
        items.add(due.cancel(DueKind.ACCESS_END, orgId, memberId));
        return items;
    }

    /** Cancels a member's warnings and check-in (the removal step ends itself). */
    List<Write> memberReminders(String orgId, String memberId) {
        return List.of(due.cancel(DueKind.ACCESS_WARN_14D, orgId, memberId), due.cancel(DueKind.ACCESS_WARN_7D, orgId, memberId),
                due.cancel(DueKind.CHECKIN_30D, orgId, memberId));
    }

    /**
     * An org's next quarterly review: due at the start of the calendar quarter after {@code now}
     * (UTC). Its key names the quarter, so each quarter's review happens once.
     */
    public Write review(String orgId, Instant now) {
        Instant start = nextQuarter(now);
        LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC);
        String quarter = day.getYear() + "-Q" + ((day.getMonthValue() - 1) / 3 + 1);
        ObjectNode payload = Json.object();
        payload.put("quarter", quarter);
        return due.put(DueKind.QUARTERLY_REVIEW, orgId, orgId + "@" + quarter, start, payload);
    }

    static Instant nextQuarter(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        int firstMonthOfNext = ((today.getMonthValue() - 1) / 3 + 1) * 3 + 1;
        LocalDate start = firstMonthOfNext > 12 ? LocalDate.of(today.getYear() + 1, 1, 1) : LocalDate.of(today.getYear(), firstMonthOfNext, 1);
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private void plan(List<Write> items, DueKind kind, Member member, Instant at, Instant notBefore, ObjectNode payload) {
        if (at == null || (notBefore != null && !at.isAfter(notBefore))) {
            items.add(due.cancel(kind, member.orgId(), member.id()));
        } else {
            items.add(due.put(kind, member.orgId(), member.id(), at, payload));
        }
    }

    static ObjectNode invitationPayload(Invitation invitation) {
        ObjectNode payload = Json.object();
        payload.put("invitationId", invitation.id());
        payload.put("email", invitation.email());
        payload.put("inviterEmail", invitation.createdBy() == null ? null : invitation.createdBy().email());
        payload.put("expiresAt", invitation.expiresAt().toString());
        payload.put("lastSentAt", invitation.lastSentAt().toString());
        return payload;
    }

    static ObjectNode memberPayload(Member member) {
        ObjectNode payload = Json.object();
        payload.put("memberId", member.id());
        payload.put("email", member.email());
        payload.put("emailKey", member.emailKey());
        payload.put("inviterEmail", member.invitedBy());
        payload.set("stakeholders", Json.MAPPER.valueToTree(member.stakeholders()));
        payload.put("accessEndsAt", member.accessEndsAt() == null ? null : member.accessEndsAt().toString());
        payload.put("acceptedAt", member.acceptedAt() == null ? null : member.acceptedAt().toString());
        payload.put("orgRole", member.orgRole());
        return payload;
    }
}
