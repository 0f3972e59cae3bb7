package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Member routes end to end: list with filters, read, change with If-Match, remove, duplicates. */
class MembersEndToEndTest {
    private static LocalStack stack;
    private static String[] admin;
    private static String adminEmail;
    private static String orgId;
    private static String projectId;

    @BeforeAll
    static void createOrg() {
        stack = SharedStack.get();
        adminEmail = "members-admin-" + UUID.randomUUID() + "@acme.example";
        admin = TestHttp.bearer(stack, adminEmail);
        orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Member Co\"}", admin).json().get("id");
        projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin).json().get("id");
    }

    @Test
    void extendingAccessNeedsAJustificationAndTheCurrentVersionAndMovesTheRemoval() {
        String email = "extend-" + UUID.randomUUID() + "@partner.example";
        Map<String, Object> member = join(email, stack.clock().instant().plus(Duration.ofDays(10)));
        String path = "/orgs/" + orgId + "/members/" + member.get("id");
        Instant later = stack.clock().instant().plus(Duration.ofDays(60));

        TestHttp.Response read = TestHttp.get(stack.baseUrl() + path, admin);
        assertThat(read.header("etag")).isEqualTo("\"1\"");
        assertThat(patch(path, "{\"accessEndsAt\":\"" + later + "\"}", null).status()).isEqualTo(428);
        TestHttp.Response noReason = patch(path, "{\"accessEndsAt\":\"" + later + "\"}", "1");
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(noReason.body()).contains("/justification");
        TestHttp.Response ok = patch(path, "{\"accessEndsAt\":\"" + later + "\",\"justification\":\"Extended engagement\"}", "1");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json()).containsEntry("version", 2);
        TestHttp.Response stale = patch(path, "{\"accessEndsAt\":\"" + later.plusSeconds(60) + "\",\"justification\":\"again\"}", "1");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json()).containsEntry("code", "version_mismatch");

        // The old end date passes: the member stays, since the removal moved with the date.
        TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"advance\":\"P11D\"}");
        TestHttp.post(stack.baseUrl() + "/_local/schedules/ExpirySweepSchedule", null);
        assertThat(TestHttp.get(stack.baseUrl() + path, admin).json()).containsEntry("status", "active");
        assertThat(TestHttp.get(stack.baseUrl() + "/me", TestHttp.bearer(stack, email)).body()).contains(orgId);
    }

    @Test
    void removingAMemberTakesAccessAwayAtOnceButTheLastAdminStays() {
        String email = "remove-" + UUID.randomUUID() + "@partner.example";
        Map<String, Object> member = join(email, null);
        String[] memberToken = TestHttp.bearer(stack, email);
        String path = "/orgs/" + orgId + "/members/" + member.get("id");
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members", memberToken).status()).isEqualTo(403);

        assertThat(TestHttp.send("DELETE", stack.baseUrl() + path, null, admin).status()).isEqualTo(422);
        assertThat(TestHttp.send("DELETE", stack.baseUrl() + path + "?reason=Engagement%20ended", null, admin).status()).isEqualTo(204);
        assertThat(TestHttp.send("DELETE", stack.baseUrl() + path + "?reason=again", null, admin).status()).isEqualTo(204);
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members", memberToken).status()).isEqualTo(404);
        assertThat(TestHttp.get(stack.baseUrl() + path, admin).json()).containsEntry("status", "removed");

        String adminId = (String) ((List<Map<String, Object>>) TestHttp.get(stack.baseUrl() + "/me", admin).json().get("memberships"))
                .stream().filter(m -> orgId.equals(m.get("orgId"))).findFirst().orElseThrow().get("memberId");
        TestHttp.Response last = TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId + "/members/" + adminId + "?reason=leaving", null, admin);
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.json()).containsEntry("code", "invalid_state");
    }

    @Test
    void listsFilterByRoleProjectAndEndAndDuplicatesGroupVariants() {
        String analyst = "list-" + UUID.randomUUID() + "@partner.example";
        join(analyst, stack.clock().instant().plus(Duration.ofDays(5)));
        String base = "/orgs/" + orgId + "/members";
        assertThat(emails(base + "?role=analyst")).contains(analyst).doesNotContain(adminEmail);
        assertThat(emails(base + "?role=admin")).contains(adminEmail).doesNotContain(analyst);
        assertThat(emails(base + "?expiringBefore=" + stack.clock().instant().plus(Duration.ofDays(6)))).contains(analyst)
                .doesNotContain(adminEmail);
        assertThat(emails(base + "?projectId=" + projectId)).contains(analyst);
        assertThat(TestHttp.get(stack.baseUrl() + base + "?role=owner", admin).status()).isEqualTo(422);

        String local = "dup" + UUID.randomUUID().toString().substring(0, 8);
        join(local + "@gmail.com", null);
        TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + local.substring(0, 3) + "." + local.substring(3)
                + "+work@googlemail.com\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"viewer\"}]}", admin);
        TestHttp.Response duplicates = TestHttp.get(stack.baseUrl() + base + "/duplicates", admin);
        assertThat(duplicates.status()).isEqualTo(200);
        assertThat(duplicates.body()).contains(local + "@gmail.com").contains("+work@googlemail.com");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> emails(String path) {
        TestHttp.Response page = TestHttp.get(stack.baseUrl() + path, admin);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return ((List<Map<String, Object>>) page.json().get("items")).stream().map(m -> m.get("email")).toList();
    }

    private static Map<String, Object> join(String email, Instant accessEndsAt) {
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + email
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"analyst\"}]"
                + (accessEndsAt == null ? "" : ",\"accessEndsAt\":\"" + accessEndsAt + "\"") + "}", admin);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        return accepted.json();
    }

    private static TestHttp.Response patch(String path, String body, String ifMatch) {
        return ifMatch == null ? TestHttp.send("PATCH", stack.baseUrl() + path, body, admin)
                : TestHttp.send("PATCH", stack.baseUrl() + path, body, admin[0], admin[1], "If-Match", "\"" + ifMatch + "\"");
    }
}
