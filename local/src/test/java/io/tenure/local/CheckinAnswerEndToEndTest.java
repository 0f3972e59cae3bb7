package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 30-day check-in can be answered (issue 14): its email to the inviter carries a "Still needed"
 * and a "Remove access" link. Opened with GET a link changes nothing; its page's POST acts, once;
 * a second POST, by either link, changes nothing more. End to end on the local stack, with the
 * clock moved 30 days and the reminders run as the schedule runs them, and the links read from the
 * email the SES emulator received.
 */
class CheckinAnswerEndToEndTest {
    private static LocalStack stack;
    private static String adminEmail;
    private static String[] admin;
    private static String orgId;
    private static String projectId;
    private static String[] secondAdmin;
    private static String secondAdminId;
    /** Each scenario's collaborator: its address, member id and check-in links (label → URL). */
    private static final Map<String, Scenario> SCENARIOS = new java.util.HashMap<>();

    private record Scenario(String email, String memberId, Map<String, String> links) {
    }

    /**
     * One org; a collaborator per scenario (one of them invited by a second admin); then the clock
     * moves 30 days on, once, and the reminders run, as the hourly schedule would.
     */
    @BeforeAll
    static void createOrgAndCheckins() {
        stack = SharedStack.get();
        adminEmail = "checkin-admin-" + UUID.randomUUID() + "@acme.example";
        admin = TestHttp.bearer(stack, adminEmail);
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Checkin Analytics\",\"settings\":{\"invitesPerDay\":500}}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        orgId = (String) org.json().get("id");
        projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin).json().get("id");
        String secondEmail = "checkin-second-" + UUID.randomUUID() + "@acme.example";
        secondAdmin = TestHttp.bearer(stack, secondEmail);
        secondAdminId = inviteAndAccept(secondEmail, admin, "admin");
        Map<String, String> members = new java.util.LinkedHashMap<>();
        for (String scenario : List.of("remove", "keep", "orphan")) {
            String email = "checkin-" + scenario + "-" + UUID.randomUUID() + "@partner.example";
            members.put(scenario, inviteAndAccept(email, scenario.equals("orphan") ? secondAdmin : admin, "member") + " " + email);
        }
        TestHttp.Response moved = TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"advance\":\"" + Duration.ofDays(30).plusHours(1) + "\"}");
        assertThat(moved.status()).isEqualTo(200);
        TestHttp.Response run = TestHttp.post(stack.baseUrl() + "/_local/schedules/RemindersSchedule", null);
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        members.forEach((scenario, idAndEmail) -> {
            String[] parts = idAndEmail.split(" ");
            SCENARIOS.put(scenario, new Scenario(parts[1], parts[0], checkinLinks(parts[1])));
        });
    }

    @Test
    void theRemoveLinkChangesNothingOnGetRemovesOnPostAndOnlyOnce() {
        Scenario scenario = SCENARIOS.get("remove");
        String collaborator = scenario.email();
        String memberId = scenario.memberId();
        Map<String, String> links = scenario.links();

        TestHttp.Response page = TestHttp.get(links.get("Remove access"));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Remove " + collaborator + "'s access to Checkin Analytics")
                .contains("<form method=\"post\">").doesNotContain("<script");
        assertThat(page.header("cache-control")).isEqualTo("no-store");
        assertThat(member(memberId)).containsEntry("status", "active");
        List<String> pageCalls = stack.callsOf(page.header("apigw-requestid"));
        assertThat(pageCalls).as("the page reads only, in at most two requests (the GET budget)")
                .allMatch(call -> call.equals("dynamodb:GetItem") || call.equals("dynamodb:BatchGetItem")).hasSizeLessThanOrEqualTo(2);

        TestHttp.Response removed = TestHttp.post(links.get("Remove access"), null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(removed.body()).contains(collaborator + " no longer has access to Checkin Analytics");
        assertThat(member(memberId)).containsEntry("status", "removed");
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/projects", TestHttp.bearer(stack, collaborator)).status())
                .isEqualTo(404);

        TestHttp.Response again = TestHttp.post(links.get("Remove access"), null);
        assertThat(again.status()).isEqualTo(410);
        assertThat(again.body()).contains("This check-in was already answered");
        TestHttp.Response keepAfter = TestHttp.post(links.get("Still needed"), "{}");
        assertThat(keepAfter.status()).isEqualTo(410);
        assertThat(keepAfter.json()).containsEntry("code", "checkin_answered");
        assertThat(member(memberId)).containsEntry("status", "removed");

        List<Map<String, Object>> events = auditOf(memberId);
        assertThat(events).filteredOn(e -> "member.removed".equals(e.get("action"))).singleElement()
                .satisfies(e -> assertThat(e.get("actor").toString()).contains(adminEmail));
        assertThat(events).filteredOn(e -> "member.checkin_answered".equals(e.get("action"))).hasSize(1);
    }

    @Test
    void theStillNeededLinkKeepsTheMemberAndAnswersOnce() {
        Scenario scenario = SCENARIOS.get("keep");
        String memberId = scenario.memberId();
        Map<String, String> links = scenario.links();
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = (Map<String, Object>) member(memberId).get("checkin");
        assertThat(sent).as("the member as admins read it: a check-in sent, not answered")
                .containsKeys("sentAt", "expiresAt").doesNotContainKey("answer");

        TestHttp.Response kept = TestHttp.post(links.get("Still needed"), "{}");
        assertThat(kept.status()).as(kept.body()).isEqualTo(200);
        assertThat(kept.json()).containsEntry("answer", "keep").containsEntry("memberId", memberId);

        TestHttp.Response remove = TestHttp.post(links.get("Remove access"), "{}");
        assertThat(remove.status()).isEqualTo(410);
        assertThat(remove.json()).containsEntry("code", "checkin_answered");
        assertThat(member(memberId)).containsEntry("status", "active");
        @SuppressWarnings("unchecked")
        Map<String, Object> answered = (Map<String, Object>) member(memberId).get("checkin");
        assertThat(answered).as("the answer shows on the member").containsEntry("answer", "keep").containsKey("answeredAt");
        assertThat(auditOf(memberId)).filteredOn(e -> "member.checkin_answered".equals(e.get("action"))).singleElement()
                .satisfies(e -> assertThat(e.get("note")).isEqualTo("still needed"));
    }

    @Test
    void theLinkOfAnInviterWhoLostAccessActsNoMore() {
        Scenario scenario = SCENARIOS.get("orphan");
        String memberId = scenario.memberId();
        Map<String, String> links = scenario.links();
        TestHttp.Response removedSecond = TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId + "/members/" + secondAdminId
                + "?reason=left%20the%20company", null, admin);
        assertThat(removedSecond.status()).as(removedSecond.body()).isEqualTo(204);

        TestHttp.Response page = TestHttp.get(links.get("Remove access"));
        assertThat(page.status()).isEqualTo(410);
        TestHttp.Response answer = TestHttp.post(links.get("Remove access"), "{}");
        assertThat(answer.status()).isEqualTo(410);
        assertThat(answer.json()).containsEntry("code", "checkin_closed");
        assertThat(member(memberId)).containsEntry("status", "active");
    }

    @Test
    void anUnknownLinkIsNotFound() {
        TestHttp.Response page = TestHttp.get(stack.baseUrl() + "/checkins/answer?token=" + "A".repeat(43));
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.body()).contains("Check-in not found");
        assertThat(TestHttp.post(stack.baseUrl() + "/checkins/answer", "{\"token\":\"nope\"}").status()).isEqualTo(404);
    }

    private static String inviteAndAccept(String email, String[] inviter, String orgRole) {
        String body = "{\"email\":\"" + email + "\",\"orgRole\":\"" + orgRole + "\"" + ("member".equals(orgRole)
                ? ",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"analyst\"}]" : "") + "}";
        TestHttp.Response invited = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", body, inviter);
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        String token = Invitations.tokenFromEmail(stack, email);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + token + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        return (String) accepted.json().get("id");
    }

    /** The links of the one check-in email about {@code collaborator}. */
    private static Map<String, String> checkinLinks(String collaborator) {
        Map<String, String> links = new java.util.HashMap<>();
        Invitations.checkinTokens(SesMailbox.emails(stack.sesUrl()), collaborator)
                .forEach((label, token) -> links.put(label, stack.baseUrl() + "/checkins/answer?token=" + token));
        return links;
    }

    private static Map<String, Object> member(String memberId) {
        TestHttp.Response member = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members/" + memberId, admin);
        assertThat(member.status()).as(member.body()).isEqualTo(200);
        return member.json();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> auditOf(String memberId) {
        TestHttp.Response audit = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?targetId=" + memberId, admin);
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        return (List<Map<String, Object>>) audit.json().get("items");
    }
}
