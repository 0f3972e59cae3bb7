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
        List<Write> items = new ArrayList<>(reminders(orgId, memberId));
        items.add(due.cancel(DueKind.ACCESS_END, orgId, memberId));
        return items;
    }

    /** Cancels a member's warnings and check-in (the removal step ends itself). */
    public List<Write> reminders(String orgId, String memberId) {
        return List.of(due.cancel(DueKind.ACCESS_WARN_14D, orgId, memberId), due.cancel(DueKind.ACCESS_WARN_7D, orgId, memberId),
                due.cancel(DueKind.CHECKIN_30D, orgId, memberId));
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
