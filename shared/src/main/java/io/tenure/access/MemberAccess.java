package io.tenure.access;

import io.tenure.error.ForbiddenException;
import io.tenure.error.NotFoundException;
import io.tenure.store.Read;
import io.tenure.store.Table;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what a caller may do in an org (SPEC §2): a caller who is not an active member with a
 * verified email, or whose access end has come (at that moment, whether or not the sweep has run),
 * gets 404, so nothing about other orgs leaks; a member without the admin role gets 403. Each
 * authorized request also records the member's activity, at most once an hour. Reads and writes
 * go through {@link MemberStore}.
 */
public final class MemberAccess {
    private static final Duration ACTIVITY_STEP = Duration.ofHours(1);

    private final MemberStore members;
    private final Clock clock;

    public MemberAccess(MemberStore members, Clock clock) {
        this.members = members;
        this.clock = clock;
    }

    /** As {@link #MemberAccess(MemberStore, Clock)}, with a store on {@code table}. */
    public MemberAccess(Table table, Clock clock) {
        this(new MemberStore(table), clock);
    }

    /** The caller's membership of the org, or 404. One consistent GetItem (plus an hourly activity write). */
    public Membership requireMember(Caller caller, String orgId) {
        admissible(caller, orgId);
        return requireMember(caller, orgId, members.guard(orgId, caller.emailKey()));
    }

    /**
     * The read of the caller's guard in the org, for a request that reads it together with what
     * else it needs (one request); then {@link #requireMember(Caller, String, Optional)} decides.
     * A caller who can never be a member of it (unverified email, not an org id) gets 404 at once.
     */
    public Read<MemberStore.Guard> guardRead(Caller caller, String orgId) {
        admissible(caller, orgId);
        return members.guardRead(orgId, caller.emailKey());
    }

    /** 404 for a caller who can never be a member of {@code orgId}: unverified email, or not an org id. */
    private static void admissible(Caller caller, String orgId) {
        if (!caller.emailVerified() || orgId == null || !orgId.startsWith("org_")) {
            throw new NotFoundException();
        }
    }

    /** As {@link #requireMember(Caller, String)}, on the guard {@link #guardRead} found. */
    public Membership requireMember(Caller caller, String orgId, Optional<MemberStore.Guard> found) {
        admissible(caller, orgId);
        MemberStore.Guard guard = found.orElseThrow(NotFoundException::new);
        if (accessEnded(orgId, guard, clock.instant())) {
            throw new NotFoundException(); // access ends at accessEndsAt, not when the sweep next runs
        }
        Membership membership = new Membership(orgId, guard.memberId(), guard.orgRole());
        recordActivity(membership, caller.emailKey(), guard.lastActiveAt());
        return membership;
    }

    /**
     * Whether the member's access end has come. The guard carries it; a guard written before it
     * did sends this to the member item (one more consistent read, for those members only).
     */
    private boolean accessEnded(String orgId, MemberStore.Guard guard, Instant now) {
        Instant end = guard.carriesAccessEnd() ? guard.accessEndsAt()
                : members.accessEndsAt(orgId, guard.memberId()).orElse(null);
        return end != null && !end.isAfter(now);
    }
    /** The caller's membership if they are an admin of the org; 404 or 403 otherwise. */
    public Membership requireAdmin(Caller caller, String orgId) {
        return admin(requireMember(caller, orgId));
    }

    /** As {@link #requireAdmin(Caller, String)}, on the guard {@link #guardRead} found. */
    public Membership requireAdmin(Caller caller, String orgId, Optional<MemberStore.Guard> found) {
        return admin(requireMember(caller, orgId, found));
    }

    private static Membership admin(Membership membership) {
        if (!membership.isAdmin()) {
            throw new ForbiddenException();
        }
        return membership;
    }

    /**
     * Sets lastActiveAt on the member (and its guard, which is what makes it hourly) when the last
     * record is an hour old or more. A racing request that already did it makes this a no-op.
     */
    public void recordActivity(Membership membership, String emailKey, Instant lastActiveAt) {
        Instant now = clock.instant();
        if (lastActiveAt != null && lastActiveAt.isAfter(now.minus(ACTIVITY_STEP))) {
            return;
        }
        members.commit(members.recordActivity(membership.orgId(), membership.memberId(), emailKey, now, now.minus(ACTIVITY_STEP)));
    }
}
