package io.tenure.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.access.Caller;
import io.tenure.access.Member;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.access.Membership;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.Csv;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.FieldError;
import io.tenure.error.InvalidStateException;
import io.tenure.error.NotFoundException;
import io.tenure.error.ValidationFailedException;
import io.tenure.id.Ids;
import io.tenure.invitation.InvitationWithdrawal;
import io.tenure.member.MemberService;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.schedule.DueItems;
import io.tenure.store.Found;
import io.tenure.store.Page;
import io.tenure.store.Read;
import io.tenure.store.TableKeys;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import io.tenure.validation.BodyReader;
import io.tenure.value.ReviewDecision;
import io.tenure.value.ReviewStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Access reviews people act on (issue 14): a campaign, opened by an admin or at a quarter's start
 * ({@link ReviewSteps}), holds one item per active member (their roles, last activity, access end
 * and justification as they were); reviewers decide each item keep, change (new roles or end, by
 * the rules of PATCH) or remove (by the rules of DELETE), with a note, each in one transaction
 * with its effect; the last decision closes the campaign. Reviewers are the org's admins and, when
 * the org says so ({@code reviewsByProjectManagers}), each project manager for the members whose
 * every project they manage. The evidence lists every decision with its reviewer, time, note and
 * the access before and after.
 */
public final class ReviewService {
    /** Days a campaign stays open: after the escalation at 14 days, at most a quarter. */
    static final int MIN_DAYS = 15;
    static final int MAX_DAYS = 90;
    static final int DEFAULT_DAYS = 28;

    private final ReviewStore store;
    private final ReviewOpening opening;
    private final MemberStore members;
    private final MemberService memberService;
    private final InvitationWithdrawal withdrawal;
    private final OrgStore orgs;
    private final MemberAccess access;
    private final AuditLog audit;
    private final Clock clock;
    private final Ids ids;

    public ReviewService(ReviewStore store, MemberStore members, MemberService memberService, InvitationWithdrawal withdrawal,
                         OrgStore orgs, MemberAccess access, AuditLog audit, DueItems due, Clock clock) {
        this.store = store;
        this.opening = new ReviewOpening(store, members, due, audit, clock);
        this.members = members;
        this.memberService = memberService;
        this.withdrawal = withdrawal;
        this.orgs = orgs;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.ids = new Ids(clock);
    }

    /** Refuses (404, 403) a caller who reviews nobody in the org: anyone but its admins and, when it lets them, project managers. */
    public void requireReviewer(Caller caller, String orgId) {
        reviewer(caller, orgId);
    }

    /**
     * Opens a campaign now ({@code POST /orgs/{orgId}/reviews}, admins): one item per active member.
     * One open campaign per org (409 otherwise). {@code endsInDays} (15 to 90, 28 by default) sets
     * its end, after the reminder at 7 days and the escalation at 14.
     */
    public ReviewCampaign open(Caller caller, String orgId, ObjectNode body, RequestOrigin origin) {
        access.requireAdmin(caller, orgId);
        BodyReader in = new BodyReader(body);
        in.onlyFields(Set.of("endsInDays"));
        Integer days = in.integer("endsInDays", MIN_DAYS, MAX_DAYS, DEFAULT_DAYS);
        in.throwIfInvalid();
        Organization org = orgs.find(orgId).orElseThrow(NotFoundException::new);
        return opening.open(org, Actor.user(caller.sub(), caller.email()), ReviewCampaign.ON_DEMAND, days, origin, clock.instant(),
                        opening.activeMembers(orgId))
                .orElseThrow(() -> new InvalidStateException("A review of this organization is open; decide or close it first."));
    }

    /**
     * Who reviews for the caller: an admin every item; a project manager, when the org lets project
     * managers review, the items of other members whose every project they manage; 403 otherwise.
     */
    private Reviewer reviewer(Caller caller, String orgId) {
        return reviewer(caller, orgId, access.requireMember(caller, orgId));
    }

    private Reviewer reviewer(Caller caller, String orgId, Membership me) {
        Actor actor = Actor.user(caller.sub(), caller.email());
        if (me.isAdmin()) {
            return Reviewer.admin(actor, me.memberId());
        }
        Read<Organization> orgRead = orgs.findRead(orgId);
        Read<Member> memberRead = members.memberRead(orgId, me.memberId());
        Found found = store.read(orgRead, memberRead); // one request
        return Reviewer.of(actor, found.get(orgRead).orElseThrow(NotFoundException::new),
                found.get(memberRead).orElseThrow(NotFoundException::new));
    }

    /** The org's campaigns, newest first (its reviewers; a project manager's list names none of the undecided, the review's page their own). */
    public Page<ReviewCampaign> list(Caller caller, String orgId, int limit, String cursor) {
        Reviewer reviewer = reviewer(caller, orgId);
        String afterSk = null;
        if (cursor != null && !cursor.isBlank()) {
            afterSk = Page.decodeCursor(cursor);
            if (afterSk == null || !afterSk.startsWith(TableKeys.Review.SK_PREFIX)) {
                throw ValidationFailedException.of("/cursor", "is not a cursor of this list; start again without it");
            }
        }
        return store.campaigns(orgId, limit, afterSk).map(c -> reviewer.shown(c, List.of()));
    }

    /** A campaign with the items the caller reviews: every item for an admin. */
    public CampaignView get(Caller caller, String orgId, String campaignId) {
        Reviewer reviewer = reviewer(caller, orgId);
        ReviewCampaign campaign = store.find(orgId, campaignId).orElseThrow(NotFoundException::new);
        List<ReviewItem> reviewed = store.items(orgId, campaignId).stream().filter(reviewer::reviews).toList();
        return view(reviewer.shown(campaign, reviewed), reviewed.stream().map(reviewer::shown).toList());
    }

    /** The evidence of a campaign as JSON (admins): the campaign with every item. */
    public CampaignView evidence(Caller caller, String orgId, String campaignId) {
        access.requireAdmin(caller, orgId);
        ReviewCampaign campaign = store.find(orgId, campaignId).orElseThrow(NotFoundException::new);
        return view(campaign, store.items(orgId, campaignId));
    }

    /** The view with the names of the projects its items hold (one Query), which a project manager cannot list. */
    private CampaignView view(ReviewCampaign campaign, List<ReviewItem> items) {
        Set<String> named = new java.util.HashSet<>();
        for (ReviewItem item : items) {
            for (ReviewItem.Access access : java.util.Arrays.asList(item.before(), item.after())) {
                if (access != null && access.projects() != null) {
                    named.addAll(access.projects().keySet());
                }
            }
        }
        Map<String, String> names = new java.util.TreeMap<>();
        if (!named.isEmpty()) {
            orgs.projects(campaign.orgId()).stream().filter(p -> named.contains(p.id())).forEach(p -> names.put(p.id(), p.name()));
        }
        return new CampaignView(campaign, items, names);
    }

    /** A campaign and its items, as shown and as exported for evidence. */
    public record CampaignView(ReviewCampaign campaign, List<ReviewItem> items, Map<String, String> projectNames) {
    }

    /**
     * A reviewer decides one item: {@code keep}, {@code change} (with {@code change}: the fields of
     * PATCH …/members/{memberId}; a project manager's only {@code projects} among theirs and
     * {@code accessEndsAt}) or {@code remove}, with a {@code note}. The effect on the member and the
     * decision commit together; the last decision closes the campaign. None after its end date.
     */
    public ReviewItem decide(Caller caller, String orgId, String campaignId, String memberId, ObjectNode body, RequestOrigin origin) {
        Membership me = access.requireMember(caller, orgId);
        if (!me.isAdmin()) {
            reviewer(caller, orgId, me); // 403 for a member who reviews nobody, before their body is read
        }
        BodyReader in = new BodyReader(body);
        in.onlyFields(Set.of("decision", "note", "change"));
        String chosen = in.oneOf("decision", Set.copyOf(ReviewDecision.jsonNames()), null);
        ReviewDecision decision = chosen == null ? null : ReviewDecision.of(chosen);
        String note = in.text("note", 1, 500, true);
        JsonNode change = in.node("change");
        if (decision == ReviewDecision.CHANGE && (change == null || !change.isObject())) {
            in.error("/change", "is required for a change: the member's new orgRole, projects or accessEndsAt");
        } else if (decision != null && decision != ReviewDecision.CHANGE && change != null) {
            in.error("/change", "goes only with the decision change");
        }
        in.throwIfInvalid();
        Actor actor = Actor.user(caller.sub(), caller.email());
        for (int attempt = 1; ; attempt++) {
            Read<Organization> orgRead = orgs.findRead(orgId);
            Read<ReviewCampaign> campaignRead = store.campaignRead(orgId, campaignId);
            Read<ReviewItem> itemRead = store.itemRead(orgId, campaignId, memberId);
            Read<Member> memberRead = members.memberRead(orgId, memberId);
            // A project manager's own member item says which projects they manage (read with the rest).
            Read<Member> callerRead = me.isAdmin() ? null : members.memberRead(orgId, me.memberId());
            Found found = callerRead == null ? store.read(orgRead, campaignRead, itemRead, memberRead)
                    : store.read(orgRead, campaignRead, itemRead, memberRead, callerRead);
            Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
            Reviewer reviewer = callerRead == null ? Reviewer.admin(actor, me.memberId())
                    : Reviewer.of(actor, org, found.get(callerRead).orElseThrow(NotFoundException::new));
            ReviewCampaign campaign = found.get(campaignRead).orElseThrow(NotFoundException::new);
            ReviewItem item = found.get(itemRead).filter(reviewer::reviews).orElseThrow(NotFoundException::new);
            Instant now = clock.instant();
            if (!campaign.is(ReviewStatus.OPEN)) {
                throw new InvalidStateException("This review is closed.");
            }
            if (campaign.ended(now)) {
                throw new InvalidStateException("This review ended on " + campaign.endsAt() + "; it is closing with the members left undecided.");
            }
            if (item.decided()) {
                throw new InvalidStateException("This member was already decided in this review: " + item.decision().json() + ".");
            }
            Member member = found.get(memberRead).filter(Member::isActive).orElse(null);
            if (member == null && decision != ReviewDecision.KEEP && decision != ReviewDecision.REMOVE) {
                throw new InvalidStateException("This member no longer has access; decide keep or remove to record it.");
            }
            if (member != null && !reviewer.reviews(ReviewOpening.accessOf(member), memberId)) {
                // Given an admin role or another project since the review opened: now an admin's to decide.
                throw new io.tenure.error.ForbiddenException();
            }
            if (decision == ReviewDecision.CHANGE) {
                reviewer.checkChange(change);
            }
            List<Write> writes = new ArrayList<>();
            ReviewItem.Access after = member == null ? null : ReviewOpening.accessOf(member);
            if (member != null && decision == ReviewDecision.CHANGE) {
                ObjectNode patch = ((ObjectNode) change).deepCopy();
                patch.put("justification", note);
                MemberService.PreparedChange prepared;
                try {
                    prepared = memberService.prepareChange(actor, org, member, patch, member.version(), origin, now);
                } catch (ValidationFailedException e) {
                    // The change's own rules, named where the body has them.
                    throw new ValidationFailedException(e.errors().stream()
                            .map(err -> new FieldError("/change" + err.pointer(), err.message())).toList());
                }
                writes.addAll(prepared.writes());
                after = ReviewOpening.accessOf(prepared.next());
            } else if (member != null && decision == ReviewDecision.REMOVE) {
                writes.addAll(memberService.prepareRemoval(actor, org, member, "access review: " + note, origin, now));
                after = null;
            } else if (member != null) {
                writes.add(members.unchanged(member)); // kept as they were read, not as they became meanwhile
            }
            if (callerRead != null) {
                // A project manager's authority is their member item as read (the projects they manage).
                writes.add(members.unchanged(found.get(callerRead).orElseThrow(NotFoundException::new)));
            }
            ReviewItem decided = item.decided(decision, note, actor, now, after);
            ReviewCampaign next = campaign.decidedOne(now);
            writes.add(store.decide(decided));
            writes.add(store.replace(next));
            int retention = org.settings().auditRetentionDays();
            writes.add(audit.put(event(campaign, now, actor, "review.decided", AuditEvent.Target.member(memberId))
                    .withChange("decision", null, decision.json()).withNote(note).from(origin), retention));
            if (next.is(ReviewStatus.CLOSED)) {
                writes.add(store.closeGuard(orgId, campaignId));
                writes.add(audit.put(event(campaign, now, actor, "review.closed", AuditEvent.Target.review(campaignId))
                        .withChange("status", ReviewStatus.OPEN.json(), ReviewStatus.CLOSED.json()).from(origin), retention));
            }
            WriteOutcome outcome = store.commit(writes);
            if (outcome.committed()) {
                if (member != null && decision == ReviewDecision.REMOVE) {
                    withdrawal.withdrawAllBy(orgId, member.email(), "the inviter was removed in an access review");
                }
                return decided;
            }
            if (outcome.refusedAs(ReviewStore.Refusal.ITEM_DECIDED)) {
                throw new InvalidStateException("This member was decided meanwhile; read the review again.");
            }
            if (attempt >= 3) {
                throw new InvalidStateException(decision == ReviewDecision.CHANGE || decision == ReviewDecision.REMOVE
                        ? "The change could not be made (the last admin stays, and the member may have changed); read the member again."
                        : "The review changed meanwhile; try again.");
            }
        }
    }

    /** The evidence of a campaign as CSV (RFC 4180, every cell quoted, formulas made inert): one row per item. */
    public String evidenceCsv(Caller caller, String orgId, String campaignId) {
        CampaignView view = evidence(caller, orgId, campaignId);
        StringBuilder out = new StringBuilder("campaignId,memberId,email,decision,reviewer,decidedAt,note,orgRoleBefore,projectsBefore,"
                + "accessEndsAtBefore,orgRoleAfter,projectsAfter,accessEndsAtAfter,lastActiveAt,justification\r\n");
        for (ReviewItem item : view.items()) {
            List<String> cells = List.of(view.campaign().id(), item.memberId(), item.email(),
                    item.decision() == null ? "undecided" : item.decision().json(),
                    item.decidedBy() == null ? "" : nz(item.decidedBy().email()), item.decidedAt() == null ? "" : item.decidedAt().toString(),
                    nz(item.note()), roleOf(item.before()), projectsOf(item.before()), endOf(item.before()),
                    item.decided() ? roleOf(item.after()) : "", item.decided() ? projectsOf(item.after()) : "",
                    item.decided() ? endOf(item.after()) : "", item.lastActiveAt() == null ? "" : item.lastActiveAt().toString(),
                    nz(item.justification()));
            out.append(Csv.row(cells));
        }
        return out.toString();
    }

    private static String roleOf(ReviewItem.Access access) {
        return access == null ? "removed" : access.orgRole().json();
    }

    private static String projectsOf(ReviewItem.Access access) {
        return access == null || access.projects() == null ? "" : access.projects().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ":" + e.getValue().json()).collect(Collectors.joining(" "));
    }

    private static String endOf(ReviewItem.Access access) {
        return access == null || access.accessEndsAt() == null ? "" : access.accessEndsAt().toString();
    }

    private AuditEvent event(ReviewCampaign campaign, Instant at, Actor actor, String action, AuditEvent.Target target) {
        return AuditEvent.of(ids.audit(), campaign.orgId(), at, actor, action, target);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
