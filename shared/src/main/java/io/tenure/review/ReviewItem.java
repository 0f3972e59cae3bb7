package io.tenure.review;

import io.tenure.audit.Actor;
import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import io.tenure.value.ReviewDecision;
import java.time.Instant;
import java.util.Map;

/**
 * One member in an access review campaign (issue 14): their access as it was when the campaign
 * opened, and, once decided, the decision with its reviewer, time, note and the access after it
 * (none after a removal).
 */
public record ReviewItem(String campaignId, String orgId, String memberId, String email, Access before, Instant lastActiveAt,
                         String justification, ReviewDecision decision, String note, Actor decidedBy, Instant decidedAt,
                         Access after) {

    /** A member's roles and access end, as a review shows them. */
    public record Access(OrgRole orgRole, Map<String, ProjectRole> projects, Instant accessEndsAt) {
    }

    public boolean decided() {
        return decision != null;
    }

    /** This item showing {@code shown} as the access after its decision. */
    ReviewItem showingAfter(Access shown) {
        return new ReviewItem(campaignId, orgId, memberId, email, before, lastActiveAt, justification, decision, note, decidedBy, decidedAt, shown);
    }

    ReviewItem decided(ReviewDecision how, String why, Actor by, Instant at, Access accessAfter) {
        return new ReviewItem(campaignId, orgId, memberId, email, before, lastActiveAt, justification, how, why, by, at, accessAfter);
    }
}
