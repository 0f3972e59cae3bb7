package io.tenure.review;

import io.tenure.access.Member;
import io.tenure.access.MemberStore;
import io.tenure.audit.Actor;
import io.tenure.audit.AuditEvent;
import io.tenure.audit.AuditLog;
import io.tenure.email.Dates;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailTemplates;
import io.tenure.email.Notice;
import io.tenure.id.Ids;
import io.tenure.org.Contacts;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import io.tenure.org.ReviewPlans;
import io.tenure.schedule.DueItem;
import io.tenure.schedule.DueItems;
import io.tenure.schedule.DueRun;
import io.tenure.schedule.Step;
import io.tenure.schedule.StepResult;
import io.tenure.store.Write;
import io.tenure.value.ReviewStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The scheduled steps of access reviews (issue 14, hourly reminders): at a quarter's start, open
 * the org's campaign and email its admins the link; 7 days after a campaign opened, remind the
 * reviewers of its undecided items; at 14 days, escalate them to every admin; on its end date,
 * close it with the members left undecided. Each step acts only while the campaign is open, and its
 * state change (a mark on the campaign, or the close) commits before its emails, so a retry sends
 * only what is missing and each happens once.
 */
public final class ReviewSteps {
    private static final String BY = "reminders";
    /** The columns of every review email's table of members. */
    private static final List<String> COLUMNS = List.of("Member", "Roles", "Last activity", "Access ends", "Justification");

    private final ReviewStore store;
    private final ReviewOpening opening;
    private final ReviewPlans quarters;
    private final OrgStore orgs;
    private final AuditLog audit;
    private final EmailTemplates templates;
    private final String appBaseUrl;
    private final Ids ids;

    /** @param appBaseUrl the public base URL of the console, whose review screen the emails link to */
    public ReviewSteps(ReviewStore store, MemberStore members, DueItems due, OrgStore orgs, AuditLog audit, EmailTemplates templates,
                       String appBaseUrl, Clock clock) {
        this.store = store;
        this.opening = new ReviewOpening(store, members, due, audit, clock);
        this.quarters = new ReviewPlans(due);
        this.orgs = orgs;
        this.audit = audit;
        this.templates = templates;
        this.appBaseUrl = appBaseUrl;
        this.ids = new Ids(clock);
    }

    /** The step of {@code QUARTERLY_REVIEW}. */
    public Step quarterly() {
        return this::openQuarter;
    }

    /** The step of {@code REVIEW_REMIND}. */
    public Step remind() {
        return this::remind;
    }

    /** The step of {@code REVIEW_ESCALATE}. */
    public Step escalate() {
        return this::escalate;
    }

    /** The step of {@code REVIEW_CLOSE}. */
    public Step close() {
        return this::close;
    }

    private StepResult openQuarter(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Organization> found = orgs.findFor(run, item.orgId());
        if (found.isEmpty()) {
            return StepResult.skipped();
        }
        Organization org = found.get();
        Instant now = run.now();
        String quarter = item.payload(ReviewPlans.ReviewDue.class).quarter();
        List<Member> active = activeMembers(org.id());
        // An earlier attempt of this step may have opened the quarter's campaign (the newest, open or
        // decided whole since); otherwise an open one serves, or the quarter's opens now.
        ReviewCampaign campaign = store.campaigns(org.id(), 1, null).items().stream().filter(c -> quarter.equals(c.label())).findFirst()
                .or(() -> openCampaign(org.id()))
                .orElseGet(() -> opening.open(org, Actor.system(BY), quarter, ReviewService.DEFAULT_DAYS, null, now, active)
                        .orElseGet(() -> openCampaign(org.id()).orElseThrow()));
        boolean ours = quarter.equals(campaign.label());
        List<String> admins = active.stream().filter(Member::isAdmin).map(Member::email).toList();
        List<Write> with = new ArrayList<>();
        with.add(quarters.next(org.id(), now));
        if (!admins.isEmpty()) {
            Notice notice = Notice.titled(org.name() + ": access review for " + quarter);
            if (ours) {
                notice.paragraph("It is a new quarter: time to review who has access to " + org.name() + ". The review of its "
                                + campaign.itemCount() + " active member(s) is open until " + Dates.human(campaign.endsAt()) + ".")
                        .paragraph("Decide each member in the review: keep, change their roles or end date, or remove them.");
            } else {
                notice.paragraph("It is a new quarter, and the review of " + org.name() + " opened on "
                        + Dates.human(campaign.openedAt()) + " is still open, so it serves as this quarter's review. It ends on "
                        + Dates.human(campaign.endsAt()) + ".");
            }
            notice.link("Open the review", reviewUrl(org.id(), campaign.id()))
                    .paragraph("Members left undecided are reminded to their reviewers after 7 days and escalated to every admin "
                            + "after 14. On its end date the review closes and records who was left undecided.")
                    .table(COLUMNS,
                            active.stream().map(m -> row(m.email(), ReviewOpening.accessOf(m), m.lastActiveAt(),
                                    m.note() == null ? null : m.note().justification(), projectNames(run, org.id()))).toList());
            run.send("admins", notice.render(templates, org.name(), Contacts.of(org, admins.get(0)), admins, List.of()));
        }
        with.add(audit.put(AuditEvent.of(ids.audit(), org.id(), now, Actor.system(BY), "review.digest_sent",
                        AuditEvent.Target.review(campaign.id()))
                .withNote(quarter + ": " + active.size() + " members" + (ours ? "" : "; the review opened " + campaign.openedAt() + " serves")),
                org.settings().auditRetentionDays()));
        return StepResult.doneWith(with);
    }

    private StepResult remind(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Pending> found = pending(item, run, "remindedAt", ReviewCampaign::remindedAt, "review.reminded");
        if (found.isEmpty()) {
            return StepResult.skipped();
        }
        Pending p = found.get();
        List<Member> active = activeMembers(p.org().id());
        Map<String, String> names = projectNames(run, p.org().id());
        List<String> admins = active.stream().filter(Member::isAdmin).map(Member::email).toList();
        if (p.org().settings().reviewsByProjectManagers()) {
            // Each project manager is reminded of the undecided members they review.
            for (Member manager : active) {
                Optional<Reviewer> reviewer = Reviewer.managerIn(p.org(), manager);
                List<ReviewItem> theirs = reviewer.map(r -> p.undecided().stream().filter(r::reviews).toList()).orElse(List.of());
                if (!theirs.isEmpty()) {
                    run.send("manager:" + manager.id(), reminder(p, theirs, names, List.of(manager.email()), manager.email()));
                }
            }
        }
        if (!admins.isEmpty()) {
            run.send("admins", reminder(p, p.undecided(), names, admins, admins.get(0)));
        }
        return StepResult.done();
    }

    private io.tenure.email.EmailMessage reminder(Pending p, List<ReviewItem> items, Map<String, String> names, List<String> to,
                                                  String contact) {
        ReviewCampaign c = p.campaign();
        return Notice.titled(p.org().name() + ": " + items.size() + " member(s) still to review")
                .paragraph("The access review of " + p.org().name() + " (" + c.label() + ") opened on " + Dates.human(c.openedAt())
                        + ". These members you review are still undecided. It is escalated to every admin on "
                        + Dates.human(c.openedAt().plus(ReviewOpening.ESCALATE_AFTER)) + " and closes on " + Dates.human(c.endsAt()) + ".")
                .link("Open the review", reviewUrl(p.org().id(), c.id()))
                .table(COLUMNS, rows(items, names))
                .render(templates, p.org().name(), Contacts.of(p.org(), contact), to, List.of());
    }

    private StepResult escalate(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Pending> found = pending(item, run, "escalatedAt", ReviewCampaign::escalatedAt, "review.escalated");
        if (found.isEmpty()) {
            return StepResult.skipped();
        }
        Pending p = found.get();
        ReviewCampaign c = p.campaign();
        List<String> admins = activeMembers(p.org().id()).stream().filter(Member::isAdmin).map(Member::email).toList();
        if (!admins.isEmpty()) {
            run.send("admins", Notice.titled(p.org().name() + ": access review overdue, " + p.undecided().size() + " member(s) undecided")
                    .paragraph("The access review of " + p.org().name() + " (" + c.label() + ") opened 14 days ago, on "
                            + Dates.human(c.openedAt()) + ", and " + p.undecided().size() + " of its " + c.itemCount()
                            + " members are still undecided. It is escalated to every admin.")
                    .paragraph("On " + Dates.human(c.endsAt()) + " it closes, and those left undecided are recorded as not reviewed; "
                            + "they keep their access as it is.")
                    .link("Open the review", reviewUrl(p.org().id(), c.id()))
                    .table(COLUMNS,
                            rows(p.undecided(), projectNames(run, p.org().id())))
                    .render(templates, p.org().name(), Contacts.of(p.org(), admins.get(0)), admins, List.of()));
        }
        return StepResult.done();
    }

    /** An open campaign with undecided items, once its mark ({@code remindedAt} or {@code escalatedAt}) is committed. */
    private record Pending(Organization org, ReviewCampaign campaign, List<ReviewItem> undecided) {
    }

    private Optional<Pending> pending(DueItem item, DueRun run, String mark, java.util.function.Function<ReviewCampaign, Instant> marked,
                                      String action) {
        Optional<Organization> org = orgs.findFor(run, item.orgId());
        if (org.isEmpty()) {
            return Optional.empty();
        }
        for (int attempt = 1; attempt <= 3; attempt++) {
            Optional<ReviewCampaign> campaign = store.find(item.orgId(), item.targetId());
            if (campaign.isEmpty() || !campaign.get().is(ReviewStatus.OPEN)) {
                return Optional.empty(); // decided whole meanwhile: nothing to remind of
            }
            List<ReviewItem> undecided = store.items(item.orgId(), item.targetId()).stream().filter(i -> !i.decided()).toList();
            if (undecided.isEmpty()) {
                return Optional.empty();
            }
            if (marked.apply(campaign.get()) != null) {
                return Optional.of(new Pending(org.get(), campaign.get(), undecided)); // an earlier attempt committed the mark
            }
            Instant now = run.now();
            if (store.commit(List.of(store.mark(item.orgId(), item.targetId(), mark, now),
                    audit.put(AuditEvent.of(ids.audit(), item.orgId(), now, Actor.system(BY), action, AuditEvent.Target.review(item.targetId()))
                            .withChange("undecided", null, undecided.size()), org.get().settings().auditRetentionDays()))).committed()) {
                return Optional.of(new Pending(org.get(), campaign.get(), undecided));
            }
        }
        throw new IllegalStateException("the review kept changing while its " + mark + " was recorded; the next run tries again");
    }

    private StepResult close(DueItem item, DueRun run) throws EmailDeliveryException {
        Optional<Organization> found = orgs.findFor(run, item.orgId());
        if (found.isEmpty()) {
            return StepResult.skipped();
        }
        Organization org = found.get();
        Instant now = run.now();
        ReviewCampaign closed = null;
        List<ReviewItem> left = List.of();
        for (int attempt = 1; closed == null && attempt <= 3; attempt++) {
            Optional<ReviewCampaign> campaign = store.find(org.id(), item.targetId());
            if (campaign.isEmpty()) {
                return StepResult.skipped();
            }
            ReviewCampaign c = campaign.get();
            List<ReviewItem> items = store.items(org.id(), c.id());
            left = items.stream().filter(i -> !i.decided()).toList();
            if (c.is(ReviewStatus.CLOSED)) {
                // Closed by its last decision (nothing to say), or by an earlier attempt of this step.
                if (c.closedAt() == null || c.closedAt().isBefore(c.endsAt())) {
                    return StepResult.skipped();
                }
                closed = c;
            } else if (!c.ended(now)) {
                return StepResult.later(c.endsAt());
            } else {
                ReviewCampaign next = c.closedWith(left.stream().map(ReviewItem::memberId).toList(), now);
                if (store.commit(List.of(store.replace(next), store.closeGuard(org.id(), c.id()),
                        audit.put(AuditEvent.of(ids.audit(), org.id(), now, Actor.system(BY), "review.closed", AuditEvent.Target.review(c.id()))
                                .withChange("status", ReviewStatus.OPEN.json(), ReviewStatus.CLOSED.json())
                                .withChange("undecided", null, left.size())
                                .withNote("ended " + c.endsAt() + " with " + left.size() + " of " + c.itemCount() + " undecided"),
                                org.settings().auditRetentionDays()))).committed()) {
                    closed = next;
                }
            }
        }
        if (closed == null) {
            throw new IllegalStateException("the review kept changing while it closed; the next run closes it");
        }
        List<String> admins = activeMembers(org.id()).stream().filter(Member::isAdmin).map(Member::email).toList();
        if (!admins.isEmpty() && !left.isEmpty()) {
            run.send("admins", Notice.titled(org.name() + ": access review closed with " + left.size() + " member(s) not reviewed")
                    .paragraph("The access review of " + org.name() + " (" + closed.label() + ") ended on " + Dates.human(closed.endsAt())
                            + ". " + left.size() + " of its " + closed.itemCount() + " members were not decided; the review records them "
                            + "as not reviewed, and they keep their access as it is.")
                    .link("See the review", reviewUrl(org.id(), closed.id()))
                    .table(COLUMNS, rows(left, projectNames(run, org.id())))
                    .render(templates, org.name(), Contacts.of(org, admins.get(0)), admins, List.of()));
        }
        return StepResult.done();
    }

    private Optional<ReviewCampaign> openCampaign(String orgId) {
        return store.openCampaignId(orgId).flatMap(id -> store.find(orgId, id));
    }

    private List<Member> activeMembers(String orgId) {
        return opening.activeMembers(orgId);
    }

    /** Projects by name, as the console shows them (one Query per org per run; an archived or unknown one keeps its id). */
    private Map<String, String> projectNames(DueRun run, String orgId) {
        return run.remember("projects:" + orgId, () -> orgs.projects(orgId).stream()
                .collect(Collectors.toMap(Project::id, Project::name, (a, b) -> a, LinkedHashMap::new)));
    }

    private String reviewUrl(String orgId, String campaignId) {
        return appBaseUrl + "/console/orgs/" + orgId + "/reviews/" + campaignId;
    }

    private static List<List<String>> rows(List<ReviewItem> items, Map<String, String> names) {
        return items.stream().map(i -> row(i.email(), i.before(), i.lastActiveAt(), i.justification(), names)).toList();
    }

    private static List<String> row(String email, ReviewItem.Access access, Instant lastActiveAt, String justification,
                                    Map<String, String> names) {
        String projects = access.projects() == null || access.projects().isEmpty() ? "" : " · " + access.projects().entrySet().stream()
                .map(e -> names.getOrDefault(e.getKey(), e.getKey()) + ": " + e.getValue().json()).collect(Collectors.joining(", "));
        return List.of(email, access.orgRole().json() + projects, lastActiveAt == null ? "never" : Dates.day(lastActiveAt),
                access.accessEndsAt() == null ? "no end date" : Dates.day(access.accessEndsAt()), justification == null ? "" : justification);
    }
}
