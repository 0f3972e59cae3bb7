package io.tenure.member;

import io.tenure.access.Caller;
import io.tenure.access.Membership;
import io.tenure.access.MemberAccess;
import io.tenure.access.Member;
import io.tenure.access.MemberStore;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.InvalidStateException;
import io.tenure.error.NotFoundException;
import io.tenure.error.PreconditionRequiredException;
import io.tenure.error.ValidationFailedException;
import io.tenure.error.VersionMismatchException;
import io.tenure.id.Ids;
import io.tenure.value.MemberStatus;
import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.org.OrgSettings;
import io.tenure.store.Found;
import io.tenure.store.Read;
import io.tenure.access.MemberPlans;
import io.tenure.store.Page;
import io.tenure.store.WriteOutcome;
import io.tenure.validation.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Members (SPEC §3): the caller's own memberships, and the admin's list, read, change and removal. */
public final class MemberService {

    private final OrgStore orgs;
    private final MemberAccess access;
    private final MemberStore store;
    private final CheckinStore checkins;
    private final InviteeStore invitees;
    private final AuditLog audit;
    private final MemberPlans plans;
    private final Clock clock;
    private final Ids ids;

    /**
     * @param store member reads and writes; it also commits each change's writes (member, org,
     *              schedule and audit) as one transaction
     */
    public MemberService(MemberStore store, InviteeStore invitees, CheckinStore checkins, OrgStore orgs, MemberAccess access,
                         AuditLog audit, MemberPlans plans, Clock clock) {
        this.checkins = checkins;
        this.orgs = orgs;
        this.access = access;
        this.store = store;
        this.invitees = invitees;
        this.audit = audit;
        this.plans = plans;
        this.clock = clock;
        this.ids = new Ids(clock);
    }

    /**
     * The caller's active memberships, each with its org, roles, projects and access end. Found
     * by Query on GSI1 {@code EMAIL#<emailKey>}; each one also records the caller's activity.
     */
    public Me me(Caller caller) {
        caller.requireVerified();
        List<MyMembership> memberships = new ArrayList<>();
        for (Member member : store.withEmail(caller.emailKey())) {
            if (!member.isActive() || (member.accessEndsAt() != null && !member.accessEndsAt().isAfter(clock.instant()))) {
                continue; // removed, or its access ended (the sweep tidies it up later)
            }
            Optional<Organization> org = orgs.find(member.orgId());
            if (org.isEmpty()) {
                continue;
            }
            access.recordActivity(new Membership(member.orgId(), member.id(), member.orgRole()), member.emailKey(),
                    member.lastActiveAt());
            memberships.add(new MyMembership(member.orgId(), org.get().name(), org.get().slug(), member.id(),
                    member.orgRole(), member.projects(), member.accessEndsAt(), member.acceptedAt()));
        }
        memberships.sort(Comparator.comparing(MyMembership::orgName, String.CASE_INSENSITIVE_ORDER));
        return new Me(caller.sub(), caller.email(), memberships);
    }

    /**
     * A page of active members, oldest first, filtered by project, role (an org role, or a project
     * role on {@code projectId} or on any project) and access ending before a time.
     */
    public Page<Member> list(Caller caller, String orgId, String projectId, String role, String expiringBefore, int limit, String cursor) {
        access.requireAdmin(caller, orgId);
        if (role != null && OrgRole.find(role).isEmpty() && ProjectRole.find(role).isEmpty()) {
            throw ValidationFailedException.of("/role", "must be admin, member, manager, analyst or viewer");
        }
        Instant before;
        try {
            before = expiringBefore == null || expiringBefore.isEmpty() ? null : Timestamps.parse(expiringBefore);
        } catch (DateTimeParseException e) {
            throw ValidationFailedException.of("/expiringBefore", "must be an ISO-8601 UTC time like 2026-12-31T00:00:00Z");
        }
        return store.page(orgId, limit, Page.decodeCursor(cursor), member -> matches(member, projectId, role, before));
    }

    /** One member of the org (active or removed). */
    public Member get(Caller caller, String orgId, String memberId) {
        return read(caller, orgId, memberId).member();
    }

    /** A member as admins read it, with their 30-day check-in (null until one was sent) and its answer. */
    public record MemberRead(Member member, Checkin checkin) {
    }

    /** {@link #get}, with the member's check-in, read with the member in one request. */
    public MemberRead read(Caller caller, String orgId, String memberId) {
        access.requireAdmin(caller, orgId);
        io.tenure.store.Read<Member> memberRead = store.memberRead(orgId, memberId);
        io.tenure.store.Read<Checkin> checkinRead = checkins.findRead(orgId, memberId);
        io.tenure.store.Found found = checkins.read(memberRead, checkinRead);
        return new MemberRead(found.get(memberRead).orElseThrow(NotFoundException::new), found.get(checkinRead).orElse(null));
    }

    /**
     * Changes a member's org role, projects, access end or stakeholders, with a required
     * justification, only at the version named by {@code If-Match} (else 412). Changing the end
     * moves the member's warnings and removal. The last admin cannot become a member.
     */
    public Member update(Caller caller, String orgId, String memberId, ObjectNode body, Long ifMatch, RequestOrigin origin) {
        access.requireAdmin(caller, orgId);
        if (ifMatch == null) {
            throw new PreconditionRequiredException();
        }
        Organization org = orgs.find(orgId).orElseThrow(NotFoundException::new);
        Member current = store.find(orgId, memberId).filter(Member::isActive).orElseThrow(NotFoundException::new);
        if (current.version() != ifMatch) {
            throw new VersionMismatchException(current.version());
        }
        Instant now = clock.instant();
        PreparedChange prepared = prepareChange(Actor.user(caller.sub(), caller.email()), org, current, body, ifMatch, origin, now);
        if (prepared.writes().isEmpty()) {
            return current;
        }
        Member next = prepared.next();
        boolean demoted = prepared.demoted();
        List<Write> items = prepared.writes();
        WriteOutcome outcome = store.commit(items);
        if (outcome.refusedAs(MemberStore.Refusal.MEMBER_CHANGED)) {
            throw new VersionMismatchException(store.find(orgId, memberId).map(Member::version).orElse(0L));
        }
        if (!outcome.committed()) {
            throw new InvalidStateException(demoted ? "The last admin of the organization cannot become a member." : "The member changed; read it again.");
        }
        return next;
    }

    /**
     * What changing {@code current} as {@code body} asks (the rules of PATCH, a justification
     * required) commits, for this service and for callers that add writes of their own to the same
     * transaction (a review decision): the member as it will be and the writes. No writes when
     * nothing changes.
     */
    public PreparedChange prepareChange(Actor actor, Organization org, Member current, ObjectNode body, long expectedVersion,
                                        RequestOrigin origin, Instant now) {
        String orgId = org.id();
        MemberChange change = MemberChange.read(body, current, org, orgs.projects(orgId), now);
        Member next = current.changed(change.orgRole(), change.projects(), change.accessEndsAt(), change.stakeholders(), now);
        Map<String, List<Object>> changes = new LinkedHashMap<>();
        diff(changes, "orgRole", current.orgRole(), next.orgRole());
        diff(changes, "projects", current.projects(), next.projects());
        diff(changes, "accessEndsAt", current.accessEndsAt(), next.accessEndsAt());
        diff(changes, "stakeholders", current.stakeholders(), next.stakeholders());
        boolean demoted = current.isAdmin() && !next.isAdmin();
        if (changes.isEmpty()) {
            return new PreparedChange(current, List.of(), false);
        }
        List<Write> items = new ArrayList<>();
        items.add(store.replace(next, expectedVersion, org.settings().canonical(next.emailKey())));
        if (current.orgRole() != next.orgRole()) {
            items.add(store.guardAccess(next));
            items.add(orgs.countAdmin(orgId, demoted ? -1 : 1, true));
        }
        items.addAll(plans.planned(next, now));
        items.add(audit.put(AuditEvent.of(ids.audit(), orgId, now, actor, "member.updated", AuditEvent.Target.member(current.id()))
                .withChanges(changes).withNote(change.justification()).from(origin), org.settings().auditRetentionDays()));
        return new PreparedChange(next, items, demoted);
    }

    /** A member's change as writes to commit: the member after it, and whether an admin became a member. */
    public record PreparedChange(Member next, List<Write> writes, boolean demoted) {
    }

    /**
     * What removing the active member {@code current} commits (their access gone, their steps
     * cancelled, the admin count kept, the audit event), for this service and for callers that add
     * writes of their own to the same transaction (a review decision).
     */
    public List<Write> prepareRemoval(Actor actor, Organization org, Member current, String reason, RequestOrigin origin, Instant now) {
        List<Write> items = new ArrayList<>(store.removeAsRead(current, reason, now));
        items.addAll(plans.closed(org.id(), current.id()));
        if (current.isAdmin()) {
            items.add(orgs.countAdmin(org.id(), -1, true));
        }
        AuditEvent removed = AuditEvent.of(ids.audit(), org.id(), now, actor, "member.removed", AuditEvent.Target.member(current.id()))
                .withChange("status", MemberStatus.ACTIVE.json(), MemberStatus.REMOVED.json()).withNote(reason);
        items.add(audit.put(origin == null ? removed : removed.from(origin), org.settings().auditRetentionDays()));
        return items;
    }

    /**
     * Removes a member with a reason: access is gone at once, their scheduled steps are cancelled,
     * and the removal is audited. Removing a removed member changes nothing; the last admin stays.
     *
     * @return the member this call removed, or empty when it was already removed
     */
    public Optional<Member> remove(Caller caller, String orgId, String memberId, String reason, RequestOrigin origin) {
        access.requireAdmin(caller, orgId);
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw ValidationFailedException.of("/reason", "is required (1 to 500 characters), so the audit says why");
        }
        Organization org = orgs.find(orgId).orElseThrow(NotFoundException::new);
        for (int attempt = 1; ; attempt++) {
            Member current = store.find(orgId, memberId).orElseThrow(NotFoundException::new);
            if (!current.isActive()) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            List<Write> items = prepareRemoval(Actor.user(caller.sub(), caller.email()), org, current, reason.trim(), origin, now);
            WriteOutcome outcome = store.commit(items);
            if (outcome.committed()) {
                return Optional.of(current);
            }
            if (!outcome.refusedAs(MemberStore.Refusal.MEMBER_CHANGED)) {
                throw new InvalidStateException("The last admin of the organization cannot be removed.");
            }
            // The member changed (their role, an hourly activity) or went meanwhile: read them again.
            if (attempt >= 3) {
                throw new InvalidStateException("The member kept changing meanwhile; read them again and retry.");
            }
        }
    }

    /**
     * Groups of active members and pending invitations whose addresses are variants of one another
     * (same canonical form, different emailKey; SPEC §5).
     */
    public Map<String, Object> duplicates(Caller caller, String orgId) {
        // The guard and the org (whose SSO domains decide what a variant is) in one request.
        Read<MemberStore.Guard> guard = access.guardRead(caller, orgId);
        Read<Organization> orgRead = orgs.findRead(orgId);
        Found found = orgs.read(guard, orgRead);
        access.requireAdmin(caller, orgId, found.get(guard));
        OrgSettings settings = found.get(orgRead).map(Organization::settings).orElse(OrgSettings.defaults());
        Instant now = clock.instant();
        Map<String, List<Map<String, String>>> byCanonical = new TreeMap<>();
        InviteeStore.Addressees addressees = invitees.addressees(orgId);
        for (Member m : addressees.members()) {
            if (m.isActive()) {
                byCanonical.computeIfAbsent(settings.canonical(m.emailKey()), k -> new ArrayList<>())
                        .add(Map.of("type", "member", "memberId", m.id(), "email", m.email(), "emailKey", m.emailKey()));
            }
        }
        for (InviteeStore.Invitee inv : addressees.invitees()) {
            if (inv.pendingAt(now)) {
                byCanonical.computeIfAbsent(settings.canonical(inv.emailKey()), k -> new ArrayList<>())
                        .add(Map.of("type", "invitation", "invitationId", inv.id(), "email", inv.email(), "emailKey", inv.emailKey()));
            }
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        byCanonical.forEach((canonical, entries) -> {
            if (entries.stream().map(e -> e.get("emailKey")).distinct().count() > 1) {
                groups.add(Map.of("canonical", canonical, "entries", entries));
            }
        });
        return Map.of("groups", groups);
    }

    private static boolean matches(Member m, String projectId, String role, Instant before) {
        if (!m.isActive()) {
            return false;
        }
        if (projectId != null && !m.projects().containsKey(projectId) && !m.isAdmin()) {
            return false;
        }
        if (role != null) {
            Optional<OrgRole> orgRole = OrgRole.find(role);
            ProjectRole projectRole = ProjectRole.find(role).orElse(null);
            boolean ok = orgRole.isPresent() ? orgRole.get() == m.orgRole()
                    : projectId != null ? projectRole == m.projects().get(projectId) : m.projects().containsValue(projectRole);
            if (!ok) {
                return false;
            }
        }
        return before == null || (m.accessEndsAt() != null && m.accessEndsAt().isBefore(before));
    }




    private static void diff(Map<String, List<Object>> changes, String field, Object before, Object after) {
        if (!java.util.Objects.equals(before, after)) {
            changes.put(field, AuditEvent.change(before == null ? null : String.valueOf(before), after == null ? null : String.valueOf(after)));
        }
    }
}
