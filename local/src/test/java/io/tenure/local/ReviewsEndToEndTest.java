package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Access reviews people act on (issue 14), end to end on the local stack: an admin opens a review
 * holding every active member; "remove" removes that member at once, "change" changes their end
 * date, "keep" keeps them, each with a note; the last decision closes the review; the evidence
 * export (JSON and CSV) parses back to the decisions made. A new quarter opens one review per org,
 * whose undecided items are reminded at 7 days and escalated at 14, each exactly once, and which
 * closes on its end date with the members left undecided; project managers review the members of
 * their projects when the org says so.
 */
class ReviewsEndToEndTest {
    private final LocalStack stack = SharedStack.get();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String adminEmail = "review-admin-" + run + "@acme.example";
    private final String[] admin = TestHttp.bearer(stack, adminEmail);

    @Test
    void decisionsTakeEffectTheLastClosesTheReviewAndTheEvidenceParsesBack() {
        String orgId = ok(201, TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Review Analytics\",\"settings\":{\"invitesPerDay\":500}}",
                admin)).json().get("id").toString();
        String projectId = ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin))
                .json().get("id").toString();
        String ana = "ana-" + run + "@partner.example";
        String bo = "bo-" + run + "@partner.example";
        String cy = "cy-" + run + "@partner.example";
        String anaId = join(orgId, projectId, ana);
        String boId = join(orgId, projectId, bo);
        String cyId = join(orgId, projectId, cy);

        Map<String, Object> review = ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/reviews", "{\"endsInDays\":15}", admin)).json();
        String reviewId = review.get("id").toString();
        assertThat(review).containsEntry("status", "open").containsEntry("itemCount", 4).containsEntry("decidedCount", 0);
        TestHttp.Response second = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/reviews", null, admin);
        assertThat(second.status()).as("one open review at a time: " + second.body()).isEqualTo(409);
        String items = stack.baseUrl() + "/orgs/" + orgId + "/reviews/" + reviewId + "/items/";

        // Refused without a note, or a change without what changes.
        TestHttp.Response noNote = TestHttp.post(items + anaId, "{\"decision\":\"keep\"}", admin);
        assertThat(noNote.status()).isEqualTo(422);
        assertThat(noNote.body()).contains("/note");
        TestHttp.Response noChange = TestHttp.post(items + boId, "{\"decision\":\"change\",\"note\":\"shorter\"}", admin);
        assertThat(noChange.status()).isEqualTo(422);
        assertThat(noChange.body()).contains("/change");

        // Remove: access is gone at once.
        ok(200, TestHttp.post(items + cyId, "{\"decision\":\"remove\",\"note\":\"Engagement finished\"}", admin));
        assertThat(member(orgId, cyId)).containsEntry("status", "removed");
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members", TestHttp.bearer(stack, cy)).status()).isEqualTo(404);
        TestHttp.Response again = TestHttp.post(items + cyId, "{\"decision\":\"keep\",\"note\":\"second thoughts\"}", admin);
        assertThat(again.status()).as("decided once").isEqualTo(409);

        // Change: a new end date, by the rules of PATCH.
        String end = stack.clock().instant().plus(Duration.ofDays(60)).truncatedTo(ChronoUnit.SECONDS).toString();
        ok(200, TestHttp.post(items + boId, "{\"decision\":\"change\",\"note\":\"Until the launch\",\"change\":{\"accessEndsAt\":\""
                + end + "\"}}", admin));
        assertThat(member(orgId, boId)).containsEntry("accessEndsAt", end).containsEntry("status", "active");

        ok(200, TestHttp.post(items + anaId, "{\"decision\":\"keep\",\"note\":\"Runs the dashboards\"}", admin));
        String founderId = memberIdOf(orgId, adminEmail);
        Map<String, Object> lastOne = ok(200, TestHttp.post(items + founderId, "{\"decision\":\"keep\",\"note\":\"Owner\"}", admin)).json();
        assertThat(lastOne).containsEntry("decision", "keep");
        Map<String, Object> closed = ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/reviews/" + reviewId, admin)).json();
        assertThat(closed).containsEntry("status", "closed").containsEntry("decidedCount", 4);
        assertThat(closed.get("closedAt")).isNotNull();

        // The evidence, as JSON and as CSV, says the same decisions with reviewer, note and access before and after.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> evidence = (List<Map<String, Object>>) ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId
                + "/reviews/" + reviewId + "/evidence", admin)).json().get("items");
        assertThat(evidence).hasSize(4).allSatisfy(item -> assertThat(((Map<?, ?>) item.get("decidedBy")).get("email")).isEqualTo(adminEmail));
        Map<String, Object> removal = evidence.stream().filter(i -> cyId.equals(i.get("memberId"))).findFirst().orElseThrow();
        assertThat(removal).containsEntry("decision", "remove").containsEntry("note", "Engagement finished").doesNotContainKey("after");
        TestHttp.Response csv = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/reviews/" + reviewId + "/evidence", admin[0], admin[1],
                "Accept", "text/csv");
        assertThat(csv.header("content-type")).startsWith("text/csv");
        List<List<String>> rows = parseCsv(csv.body());
        List<String> header = rows.get(0);
        assertThat(rows).hasSize(5);
        Map<String, List<String>> byMember = new java.util.HashMap<>();
        rows.subList(1, rows.size()).forEach(row -> byMember.put(row.get(header.indexOf("memberId")), row));
        assertThat(byMember.get(cyId).get(header.indexOf("decision"))).isEqualTo("remove");
        assertThat(byMember.get(cyId).get(header.indexOf("orgRoleAfter"))).isEqualTo("removed");
        assertThat(byMember.get(cyId).get(header.indexOf("projectsBefore"))).isEqualTo(projectId + ":analyst");
        assertThat(byMember.get(boId).get(header.indexOf("accessEndsAtAfter"))).isEqualTo(end);
        assertThat(byMember.get(boId).get(header.indexOf("reviewer"))).isEqualTo(adminEmail);
        assertThat(byMember.get(anaId).get(header.indexOf("note"))).isEqualTo("Runs the dashboards");

        // Closed, it no longer holds the org: a new review opens.
        ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/reviews", null, admin));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> audit = (List<Map<String, Object>>) ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId
                + "/audit?limit=100", admin)).json().get("items");
        assertThat(audit).extracting(e -> e.get("action")).contains("review.opened", "review.decided", "review.closed", "member.removed",
                "member.updated");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNewQuarterOpensOneReviewPerOrgRemindsEscalatesAndClosesEachOnce() {
        String orgName = "Quarter Review " + run;
        String orgId = ok(201, TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"" + orgName
                + "\",\"settings\":{\"reviewsByProjectManagers\":true}}", admin)).json().get("id").toString();
        String web = ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin))
                .json().get("id").toString();
        String lead = "lead-" + run + "@partner.example";
        String ana = "ana-" + run + "@partner.example";
        String bo = "bo-" + run + "@partner.example";
        String leadId = join(orgId, web, lead, "manager");
        String anaId = join(orgId, web, ana, "analyst");
        String boId = join(orgId, web, bo, "viewer");
        String soloEmail = "solo-" + run + "@acme.example";
        String[] solo = TestHttp.bearer(stack, soloEmail);
        String soloOrg = ok(201, TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Solo Review " + run + "\"}", solo)).json().get("id").toString();
        String[] leadBearer = TestHttp.bearer(stack, lead);
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + soloOrg + "/reviews", leadBearer).status()).as("not their org").isEqualTo(404);

        // The next quarter starts: one review per org, its link emailed to the admins once.
        java.time.LocalDate today = java.time.LocalDate.ofInstant(stack.clock().instant(), java.time.ZoneOffset.UTC);
        int month = ((today.getMonthValue() - 1) / 3 + 1) * 3 + 1;
        java.time.LocalDate start = month > 12 ? java.time.LocalDate.of(today.getYear() + 1, 1, 1) : java.time.LocalDate.of(today.getYear(), month, 1);
        String quarter = start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
        ok(200, TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"set\":\"" + start.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                .plusSeconds(3600) + "\"}"));
        runRemindersUntilIdle();
        List<Map<String, Object>> reviews = (List<Map<String, Object>>) ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/reviews",
                admin)).json().get("items");
        assertThat(reviews).hasSize(1);
        Map<String, Object> review = reviews.get(0);
        assertThat(review).containsEntry("label", quarter).containsEntry("status", "open").containsEntry("itemCount", 4);
        assertThat(review.get("openedBy")).isEqualTo(Map.of("type", "system", "id", "reminders"));
        String reviewId = review.get("id").toString();
        List<Map<String, Object>> soloReviews = (List<Map<String, Object>>) ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + soloOrg
                + "/reviews", solo)).json().get("items");
        assertThat(soloReviews).extracting(r -> r.get("label")).containsExactly(quarter);
        assertThat(subjects(adminEmail, orgName + ": access review for " + quarter)).isEqualTo(1);
        String opened = SesMailbox.text(SesMailbox.emailsTo(stack.sesUrl(), adminEmail).stream()
                .filter(e -> String.valueOf(e.get("subject")).equals(orgName + ": access review for " + quarter)).findFirst().orElseThrow());
        assertThat(opened).contains("/console/orgs/" + orgId + "/reviews/" + reviewId).contains(ana).contains("member · Web: analyst");

        // The project manager reviews the members of their projects: not the admin, not themselves.
        String base = stack.baseUrl() + "/orgs/" + orgId + "/reviews/" + reviewId;
        Map<String, Object> leadView = ok(200, TestHttp.get(base, leadBearer)).json();
        List<Map<String, Object>> theirs = (List<Map<String, Object>>) leadView.get("items");
        assertThat(theirs).extracting(i -> i.get("memberId")).containsExactlyInAnyOrder(anaId, boId);
        assertThat(leadView.get("projects")).as("the projects by name, which a manager cannot list").isEqualTo(Map.of(web, "Web"));
        // With an Idempotency-Key, as the console sends it: answered to a reviewer, and a repeat replays.
        String key = "lead-keep-" + run;
        ok(200, TestHttp.post(base + "/items/" + anaId, "{\"decision\":\"keep\",\"note\":\"Still runs the funnel\"}", leadBearer[0],
                leadBearer[1], "Idempotency-Key", key));
        TestHttp.Response repeat = ok(200, TestHttp.post(base + "/items/" + anaId, "{\"decision\":\"keep\",\"note\":\"Still runs the funnel\"}",
                leadBearer[0], leadBearer[1], "Idempotency-Key", key));
        assertThat(repeat.header("idempotent-replayed")).isEqualTo("true");
        TestHttp.Response promote = TestHttp.post(base + "/items/" + boId, "{\"decision\":\"change\",\"note\":\"Lead now\","
                + "\"change\":{\"orgRole\":\"admin\"}}", leadBearer);
        assertThat(promote.status()).as(promote.body()).isEqualTo(422);
        assertThat(promote.body()).contains("/change/orgRole");
        // Given a project the manager does not manage since the review opened, Bo is the admins' to decide now.
        String billing = ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Billing\"}", admin))
                .json().get("id").toString();
        Map<String, Object> boNow = member(orgId, boId);
        ok(200, TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId + "/members/" + boId, "{\"justification\":\"Billing too\","
                + "\"projects\":{\"" + web + "\":\"viewer\",\"" + billing + "\":\"viewer\"}}", admin[0], admin[1], "If-Match",
                "\"" + boNow.get("version") + "\""));
        TestHttp.Response beyond = TestHttp.post(base + "/items/" + boId, "{\"decision\":\"remove\",\"note\":\"Done with Web\"}", leadBearer);
        assertThat(beyond.status()).as(beyond.body()).isEqualTo(403);
        assertThat(member(orgId, boId)).containsEntry("status", "active");
        String founderId = memberIdOf(orgId, adminEmail);
        assertThat(TestHttp.post(base + "/items/" + founderId, "{\"decision\":\"remove\",\"note\":\"x\"}", leadBearer).status())
                .as("an admin's item is not a project manager's").isEqualTo(404);
        assertThat(TestHttp.get(base + "/evidence", leadBearer).status()).as("the evidence is the admins'").isEqualTo(403);
        // The solo admin decides their only item: the review closes, and nothing more is sent for it.
        String soloId = soloReviews.get(0).get("id").toString();
        String soloMember = ((List<Map<String, Object>>) ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + soloOrg + "/reviews/" + soloId, solo))
                .json().get("items")).get(0).get("memberId").toString();
        ok(200, TestHttp.post(stack.baseUrl() + "/orgs/" + soloOrg + "/reviews/" + soloId + "/items/" + soloMember,
                "{\"decision\":\"keep\",\"note\":\"Owner\"}", solo));

        // 7 days: the reviewers of undecided items are reminded once; the manager of what is theirs.
        advanceAndRun(Duration.ofDays(7));
        assertThat(subjects(adminEmail, orgName + ": 3 member(s) still to review")).isEqualTo(1);
        List<Map<String, Object>> leadReminders = SesMailbox.emailsTo(stack.sesUrl(), lead).stream()
                .filter(e -> String.valueOf(e.get("subject")).endsWith("still to review")).toList();
        assertThat(leadReminders).hasSize(1);
        assertThat(leadReminders.get(0).get("subject")).isEqualTo(orgName + ": 1 member(s) still to review");
        assertThat(SesMailbox.text(leadReminders.get(0))).contains(bo).doesNotContain(ana);
        // 14 days: escalated to every admin, once.
        advanceAndRun(Duration.ofDays(7));
        assertThat(subjects(adminEmail, orgName + ": access review overdue, 3 member(s) undecided")).isEqualTo(1);
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), lead)).noneMatch(e -> String.valueOf(e.get("subject")).contains("overdue"));
        Map<String, Object> marked = ok(200, TestHttp.get(base, admin)).json();
        assertThat(marked.get("remindedAt")).isNotNull();
        assertThat(marked.get("escalatedAt")).isNotNull();

        // Its end date (28 days): closed, with the members left undecided recorded; no decision after.
        advanceAndRun(Duration.ofDays(14));
        advanceAndRun(Duration.ofDays(1));
        Map<String, Object> closed = ok(200, TestHttp.get(base, admin)).json();
        assertThat(closed).containsEntry("status", "closed").containsEntry("decidedCount", 1);
        assertThat((List<Object>) closed.get("undecided")).containsExactlyInAnyOrder(founderId, leadId, boId);
        assertThat(subjects(adminEmail, orgName + ": access review closed with 3 member(s) not reviewed")).isEqualTo(1);
        assertThat(subjects(adminEmail, orgName + ": 3 member(s) still to review")).isEqualTo(1);
        assertThat(subjects(adminEmail, orgName + ": access review overdue, 3 member(s) undecided")).isEqualTo(1);
        assertThat(TestHttp.post(base + "/items/" + boId, "{\"decision\":\"keep\",\"note\":\"late\"}", admin).status()).isEqualTo(409);
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), soloEmail)).noneMatch(e -> String.valueOf(e.get("subject")).contains("still to review")
                || String.valueOf(e.get("subject")).contains("overdue") || String.valueOf(e.get("subject")).contains("closed with"));
        List<Map<String, Object>> audit = (List<Map<String, Object>>) ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId
                + "/audit?limit=100", admin)).json().get("items");
        assertThat(audit).extracting(e -> e.get("action")).contains("review.opened", "review.digest_sent", "review.reminded",
                "review.escalated", "review.closed");
        assertThat(audit).filteredOn(e -> "review.reminded".equals(e.get("action"))).hasSize(1);
        assertThat(audit).filteredOn(e -> "review.escalated".equals(e.get("action"))).hasSize(1);
    }

    private long subjects(String to, String subject) {
        return SesMailbox.emailsTo(stack.sesUrl(), to).stream().filter(e -> subject.equals(e.get("subject"))).count();
    }

    private void advanceAndRun(Duration by) {
        ok(200, TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"advance\":\"" + by + "\"}"));
        runRemindersUntilIdle();
    }

    /** Runs the hourly reminders until a run finds nothing it left for later, then once more (a repeat does nothing twice). */
    private void runRemindersUntilIdle() {
        for (int i = 0; i < 10; i++) {
            TestHttp.Response ran = ok(200, TestHttp.post(stack.baseUrl() + "/_local/schedules/RemindersSchedule", null));
            if (!Boolean.TRUE.equals(ran.json().get("stoppedEarly"))) {
                break;
            }
        }
        ok(200, TestHttp.post(stack.baseUrl() + "/_local/schedules/RemindersSchedule", null));
    }

    private String join(String orgId, String projectId, String email) {
        return join(orgId, projectId, email, "analyst");
    }

    private String join(String orgId, String projectId, String email, String role) {
        ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + email
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"" + role + "\"}]}", admin));
        return ok(200, TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + Invitations.tokenFromEmail(stack, email)
                + "\"}")).json().get("id").toString();
    }

    private Map<String, Object> member(String orgId, String memberId) {
        return ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members/" + memberId, admin)).json();
    }

    @SuppressWarnings("unchecked")
    private String memberIdOf(String orgId, String email) {
        List<Map<String, Object>> members = (List<Map<String, Object>>) ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId
                + "/members?limit=100", admin)).json().get("items");
        return members.stream().filter(m -> email.equals(m.get("email"))).findFirst().orElseThrow().get("id").toString();
    }

    /** RFC 4180: quoted cells, doubled quotes, CRLF rows. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                cell.append(c);
            }
        }
        return rows;
    }

    private static TestHttp.Response ok(int status, TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response;
    }
}
