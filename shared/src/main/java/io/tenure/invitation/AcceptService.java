package io.tenure.invitation;

import io.tenure.log.Log;

import io.tenure.value.InvitationStatus;
import io.tenure.value.EmailAddress;

import io.tenure.store.Write;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.email.Dates;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.error.NotFoundException;
import io.tenure.id.Ids;
import io.tenure.access.Member;
import io.tenure.access.MemberPlans;
import io.tenure.access.MemberStore;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import io.tenure.store.Found;
import io.tenure.store.Read;
import io.tenure.store.WriteOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The collaborator's side of an invitation (SPEC §5): look at it through the emailed link, then
 * accept it. Possession of the token is the proof; nothing changes until accept.
 */
public final class AcceptService {
    /** What a failed condition of an accept means (beside {@link MemberStore.Refusal#ALREADY_MEMBER}). */
    private enum Refusal { USED, INVITER_GONE }

    private final InvitationStore store;
    private final OrgStore orgs;
    private final MemberStore members;
    private final AuditLog audit;
    private final EmailSender email;
    private final EmailTemplates templates;
    private final Clock clock;
    private final Ids ids;
    private final InvitationPlans plans;
    private final MemberPlans memberPlans;

    public AcceptService(InvitationStore store, OrgStore orgs, MemberStore members, AuditLog audit,
                         EmailSender email, EmailTemplates templates, Clock clock) {
        this.store = store;
        this.orgs = orgs;
        this.members = members;
        this.audit = audit;
        this.email = email;
        this.templates = templates;
        this.clock = clock;
        this.ids = new Ids(clock);
        this.plans = new InvitationPlans(store.dueItems());
        this.memberPlans = new MemberPlans(store.dueItems());
    }

    /** What the link offers; 404 for an unknown token, 410 for one that can no longer be used. Reads only. */
    public AcceptPreview preview(String rawToken) {
        String token = normalized(rawToken);
        Offer offer = usable(token, clock.instant());
        Invitation invitation = offer.invitation();
        return new AcceptPreview(offer.org(), invitation, inviterEmail(invitation), lines(offer));
    }

    /**
     * What a usable token offers: the invitation as of now, its org, and the projects it grants
     * (null when the token item does not name them; then they are read when needed).
     */
    private record Offer(Invitation invitation, Organization org, List<Project> projects) {
    }

    /**
     * Accepts: one transaction turns the invitation accepted, creates the member and its
     * member-email guard, frees the pending slot and writes the audit event. Racing accepts of
     * one token make one member; the others get 410 {@code invitation_used}. Then the welcome
     * email goes to the collaborator (copied to the stakeholders) and the inviter is told.
     */
    public Accepted accept(String rawToken, RequestOrigin origin) {
        // One form of the token for the lookup and the transaction's condition alike.
        String token = normalized(rawToken);
        Instant now = clock.instant();
        Offer offer = usable(token, now);
        Invitation invitation = offer.invitation();
        Organization org = offer.org();
        Member member = invitation.acceptedAs(ids.member(), now);

        List<Write> items = new ArrayList<>();
        items.add(store.accept(invitation, InvitationToken.hash(token), now).refusedAs(Refusal.USED));
        items.addAll(members.create(member, org.settings().canonical(member.emailKey())));
        items.add(store.releasePending(org.id(), invitation.emailKey(), invitation.id()));
        // An accepted address proves its domain: the org knows it from now on (issue 15's typo check).
        items.add(orgs.noteDomain(org.id(), EmailAddress.domain(invitation.emailKey())));
        items.addAll(plans.closed(org.id(), invitation.id()));
        items.addAll(memberPlans.planned(member, now));
        if (org.settings().removeAfterInactiveDays() != null) {
            items.add(memberPlans.inactivity(member, org.settings().removeAfterInactiveDays(), now));
        }
        if (member.isAdmin()) {
            items.add(orgs.countAdmin(org.id(), 1, false));
        }
        // An org that opted to keep a departed inviter's invitations lets them be accepted.
        if (!org.settings().keepInvitationsOfDepartedInviters()
                && invitation.createdBy() != null && "user".equals(invitation.createdBy().type()) && invitation.createdBy().email() != null) {
            items.add(members.stillHasAccess(org.id(), EmailAddress.key(invitation.createdBy().email()), now)
                    .refusedAs(Refusal.INVITER_GONE));
        }
        Map<String, List<Object>> changes = new HashMap<>();
        changes.put("status", AuditEvent.change(InvitationStatus.PENDING.json(), InvitationStatus.ACCEPTED.json()));
        changes.put("memberId", AuditEvent.change(null, member.id()));
        items.add(audit.put(AuditEvent.of(ids.audit(), org.id(), now, new Actor("user", member.id(), member.email()),
                "invitation.accepted", AuditEvent.Target.invitation(invitation.id())).withChanges(changes).from(origin),
                org.settings().auditRetentionDays()));
        WriteOutcome outcome = store.commit(items);
        if (!outcome.committed()) {
            if (outcome.refusedAs(Refusal.USED)) {
                // Someone else changed it first: say what it is now.
                usable(token, now);
                throw new InvitationGoneException(InvitationGoneException.Reason.USED);
            }
            if (outcome.refusedAs(Refusal.INVITER_GONE)) {
                // The inviter was removed or their access ended: what they offered goes with them.
                throw new InvitationGoneException(InvitationGoneException.Reason.INVITER_GONE);
            }
            if (outcome.refusedAs(MemberStore.Refusal.ALREADY_MEMBER)) {
                throw new AlreadyMemberException(store.activeMemberId(org.id(), invitation.emailKey()).orElse(null));
            }
            throw new IllegalStateException("accept refused: " + outcome.refusals());
        }
        sendWelcome(offer, member);
        return new Accepted(org, member);
    }

    /**
     * What the JSON accept answers: enough to go on (which org, which member, which roles, until
     * when). Holding a token is not signing in, so the invitation's note, justification,
     * stakeholders and inviter stay out of the answer.
     */
    public static Map<String, Object> answer(Accepted accepted) {
        Member member = accepted.member();
        Map<String, Object> answer = new LinkedHashMap<>();
        // "id" is the member id, as in the member record this answer used to be (SPEC §3: 200 member).
        answer.put("id", member.id());
        answer.put("orgId", accepted.org().id());
        answer.put("orgName", accepted.org().name());
        answer.put("email", member.email());
        answer.put("orgRole", member.orgRole());
        answer.put("projects", member.projects());
        answer.put("accessEndsAt", member.accessEndsAt());
        answer.put("status", member.status());
        return answer;
    }

    /**
     * The offer of a token that can be accepted now; 404 or 410 otherwise. The token item, then the
     * invitation, its org and the projects the token names, together: two requests.
     */
    private Offer usable(String token, Instant now) {
        if (token == null || token.isBlank() || token.length() > 200) {
            throw new NotFoundException("This invitation link is not valid. Check that you copied the whole link.");
        }
        InvitationStore.TokenRef ref = store.findToken(InvitationToken.hash(token))
                .orElseThrow(() -> new NotFoundException("This invitation link is not valid. Check that you copied the whole link."));
        Read<InvitationStore.TokenMatch> matchRead = store.matchRead(ref);
        Read<Organization> orgRead = orgs.findRead(ref.orgId());
        List<Read<?>> reads = new ArrayList<>(List.of(matchRead, orgRead));
        List<Read<Project>> projectReads = ref.projectIds() == null ? List.of()
                : ref.projectIds().stream().map(id -> orgs.projectRead(ref.orgId(), id)).toList();
        reads.addAll(projectReads);
        Found found = orgs.read(reads.toArray(Read<?>[]::new));
        InvitationStore.TokenMatch match = found.get(matchRead)
                .orElseThrow(() -> new NotFoundException("This invitation link is not valid. Check that you copied the whole link."));
        Invitation invitation = match.invitation().asOf(now);
        if (ref.emailKey() != null && !ref.emailKey().equals(invitation.emailKey())) {
            // Sent to an address the admin corrected: whoever holds it learns nothing more of the invitation.
            throw new InvitationGoneException(InvitationGoneException.Reason.READDRESSED);
        }
        switch (invitation.status()) {
            case ACCEPTED:
                throw new InvitationGoneException(InvitationGoneException.Reason.USED);
            case REVOKED:
                throw new InvitationGoneException(InvitationGoneException.Reason.REVOKED);
            case EXPIRED:
                throw new InvitationGoneException(InvitationGoneException.Reason.EXPIRED);
            default:
                if (invitation.accessEndsAt() != null && !invitation.accessEndsAt().isAfter(now)) {
                    // The access it offers has already ended.
                    throw new InvitationGoneException(InvitationGoneException.Reason.EXPIRED);
                }
                if (!match.current()) {
                    throw new InvitationGoneException(InvitationGoneException.Reason.REPLACED);
                }
                Organization org = found.get(orgRead).orElseThrow(NotFoundException::new);
                List<Project> projects = ref.projectIds() == null ? null
                        : projectReads.stream().map(found::get).flatMap(Optional::stream).toList();
                return new Offer(invitation, org, projects);
        }
    }

    /**
     * The token as looked up: without surrounding whitespace, which a copied link often carries.
     * Trimming only for the lookup once made the accept's condition miss (410 on a pending one).
     */
    private static String normalized(String token) {
        return token == null ? null : token.strip();
    }

    private List<AcceptPreview.ProjectLine> lines(Offer offer) {
        Invitation invitation = offer.invitation();
        List<Project> projects = offer.projects() != null ? offer.projects() : orgs.projects(offer.org().id());
        Map<String, Project> byId = projects.stream().collect(Collectors.toMap(Project::id, Function.identity()));
        return invitation.projects().stream()
                .map(g -> new AcceptPreview.ProjectLine(byId.containsKey(g.projectId()) ? byId.get(g.projectId()).name()
                        : g.projectId(), g.role().json()))
                .toList();
    }

    private void sendWelcome(Offer offer, Member member) {
        Organization org = offer.org();
        Map<String, Object> model = new HashMap<>();
        model.put("orgName", org.name());
        model.put("email", member.email());
        model.put("orgRoleLabel", member.isAdmin() ? "an admin" : "a collaborator");
        List<Map<String, Object>> rows = lines(offer).stream()
                .map(l -> Map.<String, Object>of("name", l.name(), "role", l.role())).toList();
        model.put("projects", rows);
        model.put("hasProjects", !rows.isEmpty());
        // An SSO-domain address signs in with the org's SSO, any other by the org's collaborator method (issue 15).
        io.tenure.org.SignIn signIn = io.tenure.org.SignIn.of(org.settings(), member.emailKey());
        model.put("loginUrl", signIn.url());
        model.put("loginMethod", signIn.instruction());
        model.put("accessEndsAt", member.accessEndsAt() == null ? null : Dates.human(member.accessEndsAt()));
        model.put("welcomeLinks", org.settings().welcomeLinks());
        String contact = org.settings().supportContact();
        model.put("contact", contact == null || contact.isBlank() ? member.invitedBy() : contact);
        model.put("inviter", member.invitedBy());
        trySend("welcome", model, List.of(member.email()), member.stakeholders());
        if (member.invitedBy() != null) {
            trySend("accepted", model, List.of(member.invitedBy()), List.of());
        }
    }

    private void trySend(String kind, Map<String, Object> model, List<String> to, List<String> cc) {
        try {
            email.send(templates.render(kind, model, to, cc));
        } catch (EmailDeliveryException e) {
            // The member exists either way; the failure is logged without addresses.
            Log.warn(kind + " email not sent");
        }
    }

    private static String inviterEmail(Invitation invitation) {
        return invitation.createdBy() == null ? null : invitation.createdBy().email();
    }
}
