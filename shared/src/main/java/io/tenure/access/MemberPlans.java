package io.tenure.access;

import io.tenure.json.Json;
import io.tenure.schedule.DueItems;
import io.tenure.schedule.DueKind;
import io.tenure.store.Write;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a member's steps a change makes due (SPEC §6), as writes to commit with that change:
 * the 14- and 7-day warnings, the removal at accessEndsAt and the 30-day check-in. Kept beside the
 * member records, since accepting an invitation, changing a member and ending access all plan them.
 */
public final class MemberPlans {
    static final Duration WARN_COLLABORATOR = Duration.ofDays(14);
    static final Duration WARN_INVITER = Duration.ofDays(7);
    static final Duration CHECKIN_AFTER = Duration.ofDays(30);
    /** How long before an inactivity removal the collaborator and their inviter are warned. */
    public static final Duration WARN_INACTIVE = Duration.ofDays(7);

    private final DueItems due;

    public MemberPlans(DueItems due) {
        this.due = due;
    }

    /**
     * A member's steps from {@code now}: warnings whose time has not passed, the removal at
     * accessEndsAt, and the check-in 30 days after acceptance unless the access ends first.
     * Steps of an earlier plan that no longer apply are cancelled.
     */
    public List<Write> planned(Member member, Instant now) {
        var payload = Json.tree(MemberDue.of(member));
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
    public List<Write> closed(String orgId, String memberId) {
        return closedExcept(null, orgId, memberId);
    }

    /**
     * A member removed by the step of {@code running} (which ends itself, and cannot be cancelled in
     * the transaction that ends it): every other step of theirs is cancelled.
     */
    public List<Write> closedExcept(DueKind running, String orgId, String memberId) {
        List<Write> items = new ArrayList<>();
        for (DueKind kind : List.of(DueKind.ACCESS_WARN_14D, DueKind.ACCESS_WARN_7D, DueKind.CHECKIN_30D, DueKind.ACCESS_END,
                DueKind.INACTIVE_WARN, DueKind.INACTIVE_REMOVAL)) {
            if (kind != running) {
                items.add(due.cancel(kind, orgId, memberId));
            }
        }
        return items;
    }

    /**
     * The inactivity warning of a collaborator (a member someone invited) of an org that removes
     * collaborators after {@code removeAfterInactiveDays} (null: it does not, and the warning is
     * cancelled): due 7 days before that many days since their last activity, or their acceptance.
     * Activity moves nothing here: the warning's step finds the member active again and waits.
     */
    public Write inactivity(Member member, Integer removeAfterInactiveDays, Instant now) {
        if (removeAfterInactiveDays == null || member.invitedBy() == null || !member.isActive()) {
            return due.cancel(DueKind.INACTIVE_WARN, member.orgId(), member.id());
        }
        Instant warnAt = inactiveSince(member).plus(Duration.ofDays(removeAfterInactiveDays)).minus(WARN_INACTIVE);
        return due.put(DueKind.INACTIVE_WARN, member.orgId(), member.id(), warnAt.isBefore(now) ? now : warnAt,
                Json.tree(MemberDue.of(member)));
    }

    /** What an inactivity removal carries: since when the member was inactive when warned (activity after it cancels). */
    public record InactiveDue(String since) {
    }

    /** The removal of a collaborator warned at {@code since} of inactivity, at {@code at}. */
    public Write inactiveRemoval(Member member, Instant since, Instant at) {
        return due.put(DueKind.INACTIVE_REMOVAL, member.orgId(), member.id(), at, Json.tree(new InactiveDue(since.toString())));
    }

    /** Since when a member counts as inactive: their last recorded activity, or else their acceptance. */
    public static Instant inactiveSince(Member member) {
        return member.lastActiveAt() != null ? member.lastActiveAt() : member.acceptedAt() != null ? member.acceptedAt() : member.createdAt();
    }

    private void plan(List<Write> items, DueKind kind, Member member, Instant at, Instant notBefore,
                      com.fasterxml.jackson.databind.node.ObjectNode payload) {
        if (at == null || (notBefore != null && !at.isAfter(notBefore))) {
            items.add(due.cancel(kind, member.orgId(), member.id()));
        } else {
            items.add(due.put(kind, member.orgId(), member.id(), at, payload));
        }
    }
}
