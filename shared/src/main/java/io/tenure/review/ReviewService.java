package io.tenure.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.access.Caller;
import io.tenure.access.Member;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
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
 * Access reviews people act on (issue 14): an admin opens a campaign, which holds one item per
 * active member (their roles, last activity, access end and justification as they were); admins
 * decide each item keep, change (new roles or end, by the rules of PATCH) or remove (by the rules
 * of DELETE), with a note, each in one transaction with its effect; the last decision closes the
 * campaign. The evidence lists every decision with its reviewer, time, note and the access before
 * and after.
 */
public final class ReviewService {
    /** Items written per transaction while a campaign opens (DynamoDB takes 100 per transaction). */
    private static final int ITEMS_PER_WRITE = 90;
    private static final int DEFAULT_DAYS = 28;

    private final ReviewStore store;
    private final MemberStore members;
    private final MemberService memberService;
    private final InvitationWithdrawal withdrawal;
    private final OrgStore orgs;
    private final MemberAccess access;
    private final AuditLog audit;
    private final Clock clock;
    private final Ids ids;

    public ReviewService(ReviewStore store, MemberStore members, MemberService memberService, InvitationWithdrawal withdrawal,
                         OrgStore orgs, MemberAccess access, AuditLog audit, Clock clock) {
        this.store = store;
        this.members = members;
        this.memberService = memberService;
        this.withdrawal = withdrawal;
        this.orgs = orgs;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.ids = new Ids(clock);
    }

    /** Refuses (404, 403) a caller who may not review the org: its admins. */
    public void requireAdmin(Caller caller, String orgId) {
        access.requireAdmin(caller, orgId);
    }

    /**
     * Opens a campaign now ({@code POST /orgs/{orgId}/reviews}): one item per active member, written
     * before the campaign that names them, so an open campaign always has all its items. One open
     * campaign per org (409 otherwise). {@code endsInDays} (7 to 90, 28 by default) sets its end.
     */
    public ReviewCampaign open(Caller caller, String orgId, ObjectNode body, RequestOrigin origin) {
        access.requireAdmin(caller, orgId);
        BodyReader in = new BodyReader(body);
        in.onlyFields(Set.of("endsInDays"));
        Integer days = in.integer("endsInDays", 7, 90, DEFAULT_DAYS);
        in.throwIfInvalid();
        Organization org = orgs.find(orgId).orElseThrow(NotFoundException::new);
        Instant now = clock.instant();
        List<Member> active = members.all(orgId).stream().filter(Member::isActive)
                .sorted(Comparator.comparing(Member::emailKey)).toList();
        Actor actor = Actor.user(caller.sub(), caller.email());
        ReviewCampaign campaign = new ReviewCampaign(ids.reviewCampaign(), orgId, ReviewStatus.OPEN, "on demand", actor, now,
                now.plus(Duration.ofDays(days)), active.size(), 0, null, List.of(), 1);
        List<ReviewItem> items = active.stream().map(m -> new ReviewItem(campaign.id(), orgId, m.id(), m.email(), accessOf(m),
                m.lastActiveAt(), m.note() == null ? null : m.note().justification(), null, null, null, null, null)).toList();
        // Items first, in transactions of up to 90; the campaign, its guard and its audit event last.
        int cut = Math.max(0, items.size() - (ITEMS_PER_WRITE - 5));
        for (int from = 0; from < cut; from += ITEMS_PER_WRITE) {
            List<Write> chunk = items.subList(from, Math.min(cut, from + ITEMS_PER_WRITE)).stream().map(store::putItem).toList();
            if (!store.commit(chunk).committed()) {
                throw new InvalidStateException("The review could not be opened; try again.");
            }
        }
        List<Write> last = new ArrayList<>(items.subList(cut, items.size()).stream().map(store::putItem).toList());
        last.addAll(store.open(campaign));
        last.add(audit.put(event(campaign, now, actor, "review.opened", AuditEvent.Target.review(campaign.id()))
                .withChange("items", null, campaign.itemCount()).from(origin), org.settings().auditRetentionDays()));
        WriteOutcome outcome = store.commit(last);
        if (outcome.refusedAs(ReviewStore.Refusal.ONE_OPEN)) {
            throw new InvalidStateException("A review of this organization is open; decide or close it first.");
        }
        if (!outcome.committed()) {
            throw new InvalidStateException("The review could not be opened; try again.");
        }
        return campaign;
    }

    /** The org's campaigns, newest first (admins). */
    public Page<ReviewCampaign> list(Caller caller, String orgId, int limit, String cursor) {
        access.requireAdmin(caller, orgId);
        String afterSk = null;
        if (cursor != null && !cursor.isBlank()) {
            afterSk = Page.decodeCursor(cursor);
            if (afterSk == null || !afterSk.startsWith(TableKeys.Review.SK_PREFIX)) {
                throw ValidationFailedException.of("/cursor", "is not a cursor of this list; start again without it");
            }
        }
        return store.campaigns(orgId, limit, afterSk);
    }

    /** A campaign with every item (admins). */
    public CampaignView get(Caller caller, String orgId, String campaignId) {
        access.requireAdmin(caller, orgId);
        ReviewCampaign campaign = store.find(orgId, campaignId).orElseThrow(NotFoundException::new);
        return new CampaignView(campaign, store.items(orgId, campaignId));
    }

    /** A campaign and its items, as shown and as exported for evidence. */
    public record CampaignView(ReviewCampaign campaign, List<ReviewItem> items) {
    }

    /**
     * An admin decides one item: {@code keep}, {@code change} (with {@code change}: the fields of
     * PATCH …/members/{memberId}) or {@code remove}, with a {@code note}. The effect on the member
     * and the decision commit together; the last decision closes the campaign.
     */
    public ReviewItem decide(Caller caller, String orgId, String campaignId, String memberId, ObjectNode body, RequestOrigin origin) {
        access.requireAdmin(caller, orgId);
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
        for (int attempt = 1; ; attempt++) {
            Read<Organization> orgRead = orgs.findRead(orgId);
            Read<ReviewCampaign> campaignRead = store.campaignRead(orgId, campaignId);
            Read<ReviewItem> itemRead = store.itemRead(orgId, campaignId, memberId);
            Read<Member> memberRead = members.memberRead(orgId, memberId);
            Found found = store.read(orgRead, campaignRead, itemRead, memberRead);
            Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
            ReviewCampaign campaign = found.get(campaignRead).orElseThrow(NotFoundException::new);
            ReviewItem item = found.get(itemRead).orElseThrow(NotFoundException::new);
            if (!campaign.is(ReviewStatus.OPEN)) {
                throw new InvalidStateException("This review is closed.");
            }
            if (item.decided()) {
                throw new InvalidStateException("This member was already decided in this review: " + item.decision().json() + ".");
            }
            Member member = found.get(memberRead).filter(Member::isActive).orElse(null);
            if (member == null && decision != ReviewDecision.KEEP && decision != ReviewDecision.REMOVE) {
                throw new InvalidStateException("This member no longer has access; decide keep or remove to record it.");
            }
            Instant now = clock.instant();
            Actor actor = Actor.user(caller.sub(), caller.email());
            List<Write> writes = new ArrayList<>();
            ReviewItem.Access after = member == null ? null : accessOf(member);
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
                after = accessOf(prepared.next());
            } else if (member != null && decision == ReviewDecision.REMOVE) {
                writes.addAll(memberService.prepareRemoval(actor, org, member, "access review: " + note, origin, now));
                after = null;
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
        CampaignView view = get(caller, orgId, campaignId);
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

    private static ReviewItem.Access accessOf(Member member) {
        return new ReviewItem.Access(member.orgRole(), member.projects(), member.accessEndsAt());
    }

    private AuditEvent event(ReviewCampaign campaign, Instant at, Actor actor, String action, AuditEvent.Target target) {
        return AuditEvent.of(ids.audit(), campaign.orgId(), at, actor, action, target);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
