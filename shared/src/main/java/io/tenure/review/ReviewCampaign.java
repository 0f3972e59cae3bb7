package io.tenure.review;

import io.tenure.audit.Actor;
import io.tenure.value.ReviewStatus;
import java.time.Instant;
import java.util.List;

/**
 * An access review campaign (issue 14): one item per member active when it opened, each decided
 * keep, change or remove by an admin. It closes when the last item is decided.
 *
 * @param label what it reviews, e.g. "on demand" or a quarter
 * @param undecided the members left undecided when it closed (empty when every item was decided)
 */
public record ReviewCampaign(String id, String orgId, ReviewStatus status, String label, Actor openedBy, Instant openedAt,
                             Instant endsAt, int itemCount, int decidedCount, Instant closedAt, List<String> undecided,
                             long version) {

    /** This campaign with one more decision: closed when that was the last one. */
    ReviewCampaign decidedOne(Instant at) {
        boolean last = decidedCount + 1 >= itemCount;
        return new ReviewCampaign(id, orgId, last ? ReviewStatus.CLOSED : status, label, openedBy, openedAt, endsAt, itemCount,
                decidedCount + 1, last ? at : closedAt, undecided, version + 1);
    }

    public boolean is(ReviewStatus wanted) {
        return status == wanted;
    }
}
