package io.tenure.schedule;

import io.tenure.access.Member;
import io.tenure.access.MemberPlans;
import io.tenure.invitation.Invitation;
import io.tenure.invitation.InvitationPlans;
import io.tenure.org.ReviewPlans;
import io.tenure.store.Write;
import java.time.Instant;
import java.util.List;

/**
 * Transitional: the services still ask this class for their plans while they move to their own
 * feature's plans ({@link InvitationPlans}, {@link MemberPlans}, {@link ReviewPlans}).
 */
public final class DuePlans {
    private final InvitationPlans invitations;
    private final MemberPlans members;
    private final ReviewPlans reviews;

    public DuePlans(DueItems due) {
        this.invitations = new InvitationPlans(due);
        this.members = new MemberPlans(due);
        this.reviews = new ReviewPlans(due);
    }

    public List<Write> invitation(Invitation invitation) {
        return invitations.created(invitation);
    }

    public Write resent(Invitation invitation) {
        return invitations.resent(invitation);
    }

    public List<Write> invitationClosed(String orgId, String invitationId) {
        return invitations.closed(orgId, invitationId);
    }

    public List<Write> member(Member member, Instant now) {
        return members.planned(member, now);
    }

    public List<Write> memberClosed(String orgId, String memberId) {
        return members.closed(orgId, memberId);
    }

    public Write review(String orgId, Instant now) {
        return reviews.next(orgId, now);
    }

    static Instant nextQuarter(Instant now) {
        return ReviewPlans.nextQuarter(now);
    }
}
