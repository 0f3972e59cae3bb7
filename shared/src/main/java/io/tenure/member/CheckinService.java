package io.tenure.member;

import io.tenure.access.Member;
import io.tenure.access.MemberPlans;
import io.tenure.access.MemberStore;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.InvalidStateException;
import io.tenure.error.NotFoundException;
import io.tenure.id.Ids;
import io.tenure.id.LinkToken;
import io.tenure.invitation.InvitationWithdrawal;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.store.Found;
import io.tenure.store.Read;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import io.tenure.value.CheckinAnswer;
import io.tenure.value.MemberStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The inviter's answer to a 30-day check-in (issue 14), through one of the two links of its email:
 * "still needed" keeps the member, "remove" removes them by the rules of
 * {@code DELETE …/members/{id}} (access gone at once, steps cancelled, their pending invitations
 * withdrawn, the last admin stays). Possession of the link is the proof, as for the accept link:
 * showing it changes nothing, and each check-in is answered once. The link acts only while its
 * inviter is still a member whose access has not ended.
 */
public final class CheckinService {
    private static final String INVALID_LINK = "This check-in link is not valid. Check that you copied the whole link.";

    /** What a failed condition of an answer means (beside the stores' own refusals). */
    private enum Refusal { INVITER_GONE }

    private final CheckinStore checkins;
    private final MemberStore members;
    private final OrgStore orgs;
    private final AuditLog audit;
    private final MemberPlans plans;
    private final InvitationWithdrawal withdrawal;
    private final Clock clock;
    private final Ids ids;

    public CheckinService(CheckinStore checkins, MemberStore members, OrgStore orgs, AuditLog audit, MemberPlans plans,
                          InvitationWithdrawal withdrawal, Clock clock) {
        this.checkins = checkins;
        this.members = members;
        this.orgs = orgs;
        this.audit = audit;
        this.plans = plans;
        this.withdrawal = withdrawal;
        this.clock = clock;
        this.ids = new Ids(clock);
    }

    /** What the link asks; 404 for an unknown token, 410 for one that can no longer act. Reads only (two requests). */
    public CheckinPreview preview(String rawToken) {
        Usable usable = usable(normalized(rawToken), clock.instant());
        return new CheckinPreview(usable.org(), usable.member(), usable.checkin(), usable.ref().answer());
    }

    /**
     * Answers the check-in with the link's answer, in one transaction with its audit event (and,
     * for "remove", the member's removal). A second answer, by either link, changes nothing: 410
     * {@code checkin_answered}.
     */
    public CheckinAnswered answer(String rawToken, RequestOrigin origin) {
        String token = normalized(rawToken);
        Instant now = clock.instant();
        Usable usable = usable(token, now);
        CheckinStore.TokenRef ref = usable.ref();
        Member member = usable.member();
        Organization org = usable.org();
        Actor inviter = new Actor("user", usable.inviterMemberId(), usable.checkin().inviterEmail());
        int retention = org.settings().auditRetentionDays();

        List<Write> items = new ArrayList<>();
        items.add(checkins.answer(ref, now));
        items.add(members.stillHasAccess(org.id(), ref.inviterEmailKey(), now).refusedAs(Refusal.INVITER_GONE));
        items.add(audit.put(AuditEvent.of(ids.audit(), org.id(), now, inviter, "member.checkin_answered",
                        AuditEvent.Target.member(member.id()))
                .withChange("checkin", null, ref.answer().json())
                .withNote(ref.answer() == CheckinAnswer.KEEP ? "still needed" : "no longer needed: removed")
                .from(origin), retention));
        String reason = "30-day check-in: " + usable.checkin().inviterEmail() + " answered that the access is no longer needed";
        if (ref.answer() == CheckinAnswer.REMOVE) {
            items.addAll(members.remove(member, reason, now));
            items.addAll(plans.closed(org.id(), member.id()));
            if (member.isAdmin()) {
                items.add(orgs.countAdmin(org.id(), -1, true));
            }
            items.add(audit.put(AuditEvent.of(ids.audit(), org.id(), now, inviter, "member.removed",
                            AuditEvent.Target.member(member.id()))
                    .withChange("status", MemberStatus.ACTIVE.json(), MemberStatus.REMOVED.json())
                    .withNote(reason).from(origin), retention));
        }
        WriteOutcome outcome = checkins.commit(items);
        if (!outcome.committed()) {
            if (outcome.refusedAs(CheckinStore.Refusal.CHECKIN_CHANGED)) {
                usable(token, now); // says which, if it is no longer open for another reason
                throw new CheckinGoneException(CheckinGoneException.Reason.ANSWERED);
            }
            if (outcome.refusedAs(Refusal.INVITER_GONE)) {
                throw new CheckinGoneException(CheckinGoneException.Reason.INVITER_GONE);
            }
            if (outcome.refusedAs(MemberStore.Refusal.MEMBER_CHANGED)) {
                throw new CheckinGoneException(CheckinGoneException.Reason.MEMBER_GONE);
            }
            throw new InvalidStateException("The last admin of the organization cannot be removed.");
        }
        if (ref.answer() == CheckinAnswer.REMOVE) {
            // What they offered goes with them, as when an admin removes them.
            withdrawal.withdrawAllBy(org.id(), member.email(), "the inviter was removed: " + reason);
        }
        return new CheckinAnswered(org, member, ref.answer(), now);
    }

    /** A link that can act now: its token item, check-in, org, member, and the inviter's member id. */
    private record Usable(CheckinStore.TokenRef ref, Checkin checkin, Organization org, Member member, String inviterMemberId) {
    }

    /**
     * The check-in of a link that can act now; 404 or 410 otherwise. The token item, then the
     * check-in, its org, the member and the inviter's member-email guard together: two requests.
     */
    private Usable usable(String token, Instant now) {
        if (token == null || token.isBlank() || token.length() > 200) {
            throw new NotFoundException(INVALID_LINK);
        }
        CheckinStore.TokenRef ref = checkins.findToken(LinkToken.hash(token)).orElseThrow(() -> new NotFoundException(INVALID_LINK));
        Read<CheckinStore.Match> checkinRead = checkins.checkinRead(ref);
        Read<Organization> orgRead = orgs.findRead(ref.orgId());
        Read<Member> memberRead = members.memberRead(ref.orgId(), ref.memberId());
        Read<MemberStore.Guard> inviterRead = members.guardRead(ref.orgId(), ref.inviterEmailKey());
        Found found = checkins.read(checkinRead, orgRead, memberRead, inviterRead);
        CheckinStore.Match match = found.get(checkinRead).orElseThrow(() -> new NotFoundException(INVALID_LINK));
        Checkin checkin = match.checkin();
        if (checkin.answered()) {
            throw new CheckinGoneException(CheckinGoneException.Reason.ANSWERED);
        }
        if (!match.current()) {
            throw new CheckinGoneException(CheckinGoneException.Reason.REPLACED);
        }
        if (!checkin.expiresAt().isAfter(now)) {
            throw new CheckinGoneException(CheckinGoneException.Reason.EXPIRED);
        }
        Organization org = found.get(orgRead).orElseThrow(() -> new NotFoundException(INVALID_LINK));
        Member member = found.get(memberRead).filter(Member::isActive)
                .filter(m -> m.accessEndsAt() == null || m.accessEndsAt().isAfter(now))
                .orElseThrow(() -> new CheckinGoneException(CheckinGoneException.Reason.MEMBER_GONE));
        MemberStore.Guard inviter = found.get(inviterRead)
                .filter(g -> !g.carriesAccessEnd() || g.accessEndsAt() == null || g.accessEndsAt().isAfter(now))
                .orElseThrow(() -> new CheckinGoneException(CheckinGoneException.Reason.INVITER_GONE));
        return new Usable(ref, checkin, org, member, inviter.memberId());
    }

    /** The token as looked up: without surrounding whitespace, which a copied link often carries. */
    private static String normalized(String token) {
        return token == null ? null : token.strip();
    }

    /** What the JSON answer says: which member, which answer, when. Holding a link is not signing in, so nothing more. */
    public static Map<String, Object> answer(CheckinAnswered answered) {
        return Map.of("orgId", answered.org().id(), "memberId", answered.member().id(), "email", answered.member().email(),
                "answer", answered.answer().json(), "answeredAt", answered.answeredAt().toString());
    }
}
