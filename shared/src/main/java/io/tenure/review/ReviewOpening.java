package io.tenure.review;

import io.tenure.access.Member;
import io.tenure.access.MemberStore;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.InvalidStateException;
import io.tenure.id.Ids;
import io.tenure.json.Json;
import io.tenure.org.Organization;
import io.tenure.schedule.DueItems;
import io.tenure.schedule.DueKind;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import io.tenure.value.ReviewStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Opens a campaign, on demand or at a quarter's start: one item per active member, written before
 * the campaign that names them, so an open campaign always has all its items; with the campaign,
 * its guard (one open campaign per org), its audit event and its three scheduled steps: the
 * reminder at 7 days, the escalation at 14 and the close at its end date.
 */
final class ReviewOpening {
    /** Items written per transaction while a campaign opens (DynamoDB takes 100 per transaction). */
    private static final int ITEMS_PER_WRITE = 90;
    static final Duration REMIND_AFTER = Duration.ofDays(7);
    static final Duration ESCALATE_AFTER = Duration.ofDays(14);

    private final ReviewStore store;
    private final MemberStore members;
    private final DueItems due;
    private final AuditLog audit;
    private final Ids ids;

    ReviewOpening(ReviewStore store, MemberStore members, DueItems due, AuditLog audit, Clock clock) {
        this.store = store;
        this.members = members;
        this.due = due;
        this.audit = audit;
        this.ids = new Ids(clock);
    }

    /** What the scheduled steps of a campaign carry: nothing but its id, which is their target. */
    record CampaignDue(String campaignId) {
    }

    /** The org's active members, as a campaign reviews them (one Query). */
    List<Member> activeMembers(String orgId) {
        return members.all(orgId).stream().filter(Member::isActive).sorted(Comparator.comparing(Member::emailKey)).toList();
    }

    /**
     * The campaign opened with one item per member of {@code active}, or empty when another of the org is open (read first;
     * one opened meanwhile refuses this one by its guard, and the items written for it stay unnamed and are never read).
     */
    Optional<ReviewCampaign> open(Organization org, Actor actor, String label, int days, RequestOrigin origin, Instant now,
                                  List<Member> active) {
        String orgId = org.id();
        if (store.openCampaignId(orgId).isPresent()) {
            return Optional.empty(); // before any item is written
        }
        ReviewCampaign campaign = new ReviewCampaign(ids.reviewCampaign(), orgId, ReviewStatus.OPEN, label, actor, now,
                now.plus(Duration.ofDays(days)), active.size(), 0, null, List.of(), null, null, 1);
        List<ReviewItem> items = active.stream().map(m -> new ReviewItem(campaign.id(), orgId, m.id(), m.email(), accessOf(m),
                m.lastActiveAt(), m.note() == null ? null : m.note().justification(), null, null, null, null, null)).toList();
        // Items first, in transactions of up to 90; the campaign, its guard, its steps and its audit event last.
        int cut = Math.max(0, items.size() - (ITEMS_PER_WRITE - 8));
        for (int from = 0; from < cut; from += ITEMS_PER_WRITE) {
            List<Write> chunk = items.subList(from, Math.min(cut, from + ITEMS_PER_WRITE)).stream().map(store::putItem).toList();
            if (!store.commit(chunk).committed()) {
                throw new InvalidStateException("The review could not be opened; try again.");
            }
        }
        List<Write> last = new ArrayList<>(items.subList(cut, items.size()).stream().map(store::putItem).toList());
        last.addAll(store.open(campaign));
        var payload = Json.tree(new CampaignDue(campaign.id()));
        last.add(due.put(DueKind.REVIEW_REMIND, orgId, campaign.id(), now.plus(REMIND_AFTER), payload));
        last.add(due.put(DueKind.REVIEW_ESCALATE, orgId, campaign.id(), now.plus(ESCALATE_AFTER), payload));
        last.add(due.put(DueKind.REVIEW_CLOSE, orgId, campaign.id(), campaign.endsAt(), payload));
        AuditEvent opened = AuditEvent.of(ids.audit(), orgId, now, actor, "review.opened", AuditEvent.Target.review(campaign.id()))
                .withChange("items", null, campaign.itemCount()).withNote(label);
        last.add(audit.put(origin == null ? opened : opened.from(origin), org.settings().auditRetentionDays()));
        WriteOutcome outcome = store.commit(last);
        if (outcome.refusedAs(ReviewStore.Refusal.ONE_OPEN)) {
            return Optional.empty();
        }
        if (!outcome.committed()) {
            throw new InvalidStateException("The review could not be opened; try again.");
        }
        return Optional.of(campaign);
    }

    static ReviewItem.Access accessOf(Member member) {
        return new ReviewItem.Access(member.orgRole(), member.projects(), member.accessEndsAt());
    }
}
