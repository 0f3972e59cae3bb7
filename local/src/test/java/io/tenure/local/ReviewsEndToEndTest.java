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
 * export (JSON and CSV) parses back to the decisions made.
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

        Map<String, Object> review = ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/reviews", "{\"endsInDays\":14}", admin)).json();
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

    private String join(String orgId, String projectId, String email) {
        ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + email
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"analyst\"}]}", admin));
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
