package io.tenure.org;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.NotFoundException;
import io.tenure.error.RateLimitedException;
import io.tenure.id.Ids;
import io.tenure.json.Json;
import io.tenure.schedule.DueKind;
import io.tenure.access.Caller;
import io.tenure.access.Member;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.store.Page;
import io.tenure.store.WriteOutcome;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Organizations and their projects (SPEC §3). */
public final class OrgService {
    /** Orgs one person (JWT subject) may create in a UTC day; more is 429 until midnight UTC. */
    public static final int ORGS_PER_USER_PER_DAY = 10;
    /** The meaning of the daily org-creation counter failing. */
    private static final Object DAILY_LIMIT = "orgs created today";

    private final OrgStore store;
    private final MemberStore members;
    private final MemberAccess access;
    private final AuditLog audit;
    private final Clock clock;
    private final Ids ids;
    private final ReviewPlans reviews;

    /** @param members makes the first admin's writes, which {@code store} commits with the org's */
    public OrgService(OrgStore store, MemberStore members, MemberAccess access, AuditLog audit, Clock clock) {
        this.store = store;
        this.members = members;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.ids = new Ids(clock);
        this.reviews = new ReviewPlans(store.dueItems());
    }

    /**
     * Creates an org; the caller becomes its first admin. One transaction writes the org, its
     * slug, the admin member and the audit event, and counts the org against the caller's
     * {@value #ORGS_PER_USER_PER_DAY} a UTC day.
     */
    public Organization create(Caller caller, ObjectNode body, RequestOrigin origin) {
        caller.requireVerified();
        NewOrg request = NewOrg.read(body);
        String name = request.name();
        String slug = request.slug();
        OrgSettings settings = request.settings();
        boolean derived = !body.hasNonNull("slug");
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            Organization org = new Organization(ids.org(), name, slug, settings, now, now, 1);
            Member admin = Member.founder(ids.member(), org.id(), caller.email(), caller.emailKey(), now);
            List<Write> items = new ArrayList<>(store.create(org));
            items.addAll(members.create(admin, settings.canonical(caller.emailKey())));
            items.add(store.noteAddress(org.id(), settings.canonical(caller.emailKey()), caller.emailKey()));
            items.add(reviews.next(org.id(), now));
            items.add(audit.put(AuditEvent.of(ids.audit(), org.id(), now, Actor.user(caller.sub(), caller.email()),
                    "org.created", AuditEvent.Target.org(org.id()))
                    .withChanges(Map.of("name", AuditEvent.change(null, name), "slug", AuditEvent.change(null, slug)))
                    .from(origin), settings.auditRetentionDays()));
            items.add(store.countOrgCreated(caller.sub(), now, ORGS_PER_USER_PER_DAY).refusedAs(DAILY_LIMIT));
            WriteOutcome outcome = store.commit(items);
            if (outcome.committed()) {
                return org;
            }
            if (outcome.refusedAs(DAILY_LIMIT)) {
                throw RateLimitedException.untilUtcMidnight("You have created " + ORGS_PER_USER_PER_DAY
                        + " organizations today, the most one person may create in a UTC day.", now);
            }
            if (!outcome.refusedAs(OrgStore.Refusal.SLUG_TAKEN)) {
                throw new IllegalStateException("org create failed: " + outcome.refusals());
            }
            if (!derived || attempt >= 3) {
                throw new SlugTakenException(slug);
            }
            // A slug made from a common name may be taken: add a short random suffix, as a person would.
            slug = withSuffix(slugOf(name));
        }
    }



    private static String withSuffix(String slug) {
        // Not ThreadLocalRandom: its per-thread seed is in a SnapStart snapshot, so restored instances would race
        // for the same suffixes; Randomness is renewed after each restore.
        String suffix = Long.toString(io.tenure.id.Randomness.secure().nextLong(36L * 36 * 36 * 36), 36);
        String base = slug.length() > 35 ? slug.substring(0, 35).replaceAll("-+$", "") : slug;
        return base + "-" + "0".repeat(4 - suffix.length()) + suffix;
    }

    /** The org, for its admins. */
    public Organization get(Caller caller, String orgId) {
        access.requireAdmin(caller, orgId);
        return store.find(orgId).orElseThrow(NotFoundException::new);
    }

    /** Creates a project; one transaction writes it and its audit event, while the org exists. */
    public Project createProject(Caller caller, String orgId, ObjectNode body, RequestOrigin origin) {
        access.requireAdmin(caller, orgId);
        Organization org = store.find(orgId).orElseThrow(NotFoundException::new);
        NewProject request = NewProject.read(body);
        Instant now = clock.instant();
        Project project = new Project(ids.project(), orgId, request.name(), request.environment(), request.platform(), false,
                ProjectSettings.defaults(), now, now, 1);
        List<Write> items = List.of(
                store.createProject(project),
                store.putApp(project),
                store.nameProject(orgId, project.id(), project.name()),
                audit.put(AuditEvent.of(ids.audit(), orgId, now, Actor.user(caller.sub(), caller.email()),
                        "project.created", AuditEvent.Target.project(project.id()))
                        .withChanges(Map.of("name", AuditEvent.change(null, request.name()),
                                "environment", AuditEvent.change(null, request.environment()),
                                "platform", AuditEvent.change(null, request.platform())))
                        .from(origin), org.settings().auditRetentionDays()));
        WriteOutcome outcome = store.commit(items);
        if (!outcome.committed()) {
            throw new NotFoundException();
        }
        return project;
    }

    /** A page of the org's projects, oldest first. */
    public Page<Project> listProjects(Caller caller, String orgId, int limit, String cursor) {
        access.requireAdmin(caller, orgId);
        return store.projectPage(orgId, limit, Page.decodeCursor(cursor));
    }

    /**
     * Changes the org's name and settings. With {@code ifMatch} the change applies only to that
     * version (else 412); without it, to the version just read. One transaction with the audit event.
     */
    public Organization update(Caller caller, String orgId, ObjectNode body, Long ifMatch, RequestOrigin origin) {
        access.requireAdmin(caller, orgId);
        Organization org = store.find(orgId).orElseThrow(NotFoundException::new);
        OrgChange change = OrgChange.read(body, org.settings());
        String name = change.name();
        OrgSettings settings = change.settings();
        long expected = ifMatch == null ? org.version() : ifMatch;
        Instant now = clock.instant();
        Organization next = new Organization(org.id(), name == null ? org.name() : name, org.slug(), settings,
                org.createdAt(), now, expected + 1);
        Map<String, List<Object>> changes = new java.util.LinkedHashMap<>();
        if (!next.name().equals(org.name())) {
            changes.put("name", AuditEvent.change(org.name(), next.name()));
        }
        if (!next.settings().equals(org.settings())) {
            changes.put("settings", AuditEvent.change(Json.tree(org.settings()).toString(), Json.tree(next.settings()).toString()));
        }
        List<Write> items = new java.util.ArrayList<>(List.of(
                store.replaceOrg(next, expected),
                audit.put(AuditEvent.of(ids.audit(), orgId, now, Actor.user(caller.sub(), caller.email()),
                        "org.updated", AuditEvent.Target.org(orgId)).withChanges(changes).from(origin),
                        next.settings().auditRetentionDays())));
        if (!java.util.Objects.equals(org.settings().removeAfterInactiveDays(), settings.removeAfterInactiveDays())) {
            // Each collaborator's warning is planned (or cancelled) by the next reminders run, not here: an org may have many.
            items.add(store.dueItems().put(DueKind.INACTIVITY_PLAN, orgId, orgId, now, Json.object()));
        }
        WriteOutcome outcome = store.commit(items);
        if (!outcome.committed()) {
            throw new io.tenure.error.VersionMismatchException(store.find(orgId).map(Organization::version).orElse(0L));
        }
        return next;
    }

    /** Renames, archives or unarchives a project; {@code ifMatch} as for {@link #update}. */
    public Project updateProject(Caller caller, String orgId, String projectId, ObjectNode body, Long ifMatch,
                                 RequestOrigin origin) {
        access.requireAdmin(caller, orgId);
        Organization org = store.find(orgId).orElseThrow(NotFoundException::new);
        Project project = store.findProject(orgId, projectId).orElseThrow(NotFoundException::new);
        ProjectChange change = ProjectChange.read(body, project);
        String name = change.name();
        boolean archived = change.archived();
        ProjectSettings settings = change.settings();
        long expected = ifMatch == null ? project.version() : ifMatch;
        Instant now = clock.instant();
        Project next = new Project(project.id(), orgId, name == null ? project.name() : name, project.environment(),
                project.platform(), archived, settings, project.createdAt(), now, expected + 1);
        Map<String, List<Object>> changes = new java.util.LinkedHashMap<>();
        if (!next.name().equals(project.name())) {
            changes.put("name", AuditEvent.change(project.name(), next.name()));
        }
        if (next.archived() != project.archived()) {
            changes.put("archived", AuditEvent.change(project.archived(), next.archived()));
        }
        if (!next.settings().equals(project.settings())) {
            changes.put("settings", AuditEvent.change(project.settings().toString(), next.settings().toString()));
        }
        List<Write> writes = new ArrayList<>(List.of(store.replaceProject(next, expected), store.putApp(next)));
        if (!next.name().equals(project.name())) {
            writes.add(store.nameProject(orgId, projectId, next.name()));
        }
        writes.add(audit.put(AuditEvent.of(ids.audit(), orgId, now, Actor.user(caller.sub(), caller.email()),
                        archived && !project.archived() ? "project.archived" : "project.updated",
                        AuditEvent.Target.project(projectId)).withChanges(changes).from(origin),
                org.settings().auditRetentionDays()));
        WriteOutcome outcome = store.commit(writes);
        if (!outcome.committed()) {
            throw new io.tenure.error.VersionMismatchException(store.findProject(orgId, projectId).map(Project::version).orElse(0L));
        }
        return next;
    }

    static String slugOf(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40).replaceAll("-+$", "");
        }
        // A name with no Latin letters or digits (日本語の組織, !!) gets a generated slug, since
        // the caller never sent one to fix.
        if (slug.isEmpty()) {
            return withSuffix("org");
        }
        return slug.length() < 2 ? "org-" + slug : slug;
    }

}
