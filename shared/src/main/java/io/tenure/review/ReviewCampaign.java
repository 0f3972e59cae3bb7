package io.tenure.review;

import io.tenure.audit.Actor;
import io.tenure.value.ReviewStatus;
import java.time.Instant;
import java.util.List;

/**
 * An access review campaign (issue 14): one item per member active when it opened, each decided
 * keep, change or remove by a reviewer. It closes when the last item is decided, or on its end
 * date with the members left undecided.
 *
 * @param label what it reviews: "on demand" or a quarter such as {@code 2027-Q1}
 * @param undecided the members left undecided when it closed (empty when every item was decided)
 * @param remindedAt when the reviewers of undecided items were reminded (7 days after it opened)
 * @param escalatedAt when the undecided items were escalated to every admin (14 days after it opened)
 */
public record ReviewCampaign(String id, String orgId, ReviewStatus status, String label, Actor openedBy, Instant openedAt,
                             Instant endsAt, int itemCount, int decidedCount, Instant closedAt, List<String> undecided,
                             Instant remindedAt, Instant escalatedAt, long version) {

    /** Label of a campaign an admin opened. */
    public static final String ON_DEMAND = "on demand";

    /** This campaign with one more decision: closed when that was the last one. */
    ReviewCampaign decidedOne(Instant at) {
        boolean last = decidedCount + 1 >= itemCount;
        return new ReviewCampaign(id, orgId, last ? ReviewStatus.CLOSED : status, label, openedBy, openedAt, endsAt, itemCount,
                decidedCount + 1, last ? at : closedAt, undecided, remindedAt, escalatedAt, version + 1);
    }

    /** This campaign closed at its end date, with the members left undecided. */
    ReviewCampaign closedWith(List<String> left, Instant at) {
        return new ReviewCampaign(id, orgId, ReviewStatus.CLOSED, label, openedBy, openedAt, endsAt, itemCount, decidedCount, at,
                List.copyOf(left), remindedAt, escalatedAt, version + 1);
    }

    /** This campaign showing only {@code shown} of the members it left undecided. */
    ReviewCampaign showingUndecided(List<String> shown) {
        return new ReviewCampaign(id, orgId, status, label, openedBy, openedAt, endsAt, itemCount, decidedCount, closedAt, List.copyOf(shown),
                remindedAt, escalatedAt, version);
    }

    /** Whether its end date has come: no decision is taken after it. */
    public boolean ended(Instant now) {
        return !now.isBefore(endsAt);
    }

    public boolean is(ReviewStatus wanted) {
        return status == wanted;
    }
}
