package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 5, over HTTP: input that once answered 500 (or was quietly accepted) answers a
 * 4xx problem+json that names the field.
 */
class BadInputEndToEndTest {
    private static LocalStack stack;
    private static String[] admin;
    private static String orgId;
    private static String projectId;
    private static String key;

    @BeforeAll
    static void createOrg() {
        stack = SharedStack.get();
        admin = TestHttp.bearer(stack, "bad-input-" + UUID.randomUUID() + "@acme.example");
        orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Bad Input Co\"}", admin).json().get("id");
        projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin).json().get("id");
        key = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects/" + projectId + "/api-keys",
                "{\"name\":\"server\"}", admin).json().get("secret");
    }

    @Test
    void aFormTokenThatIsNotUrlEncodingNamesTheToken() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/invitations/accept"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=%zz")).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        TestHttp.checkContract("POST", request.uri(), request.headers().map(), "token=%zz".getBytes(StandardCharsets.UTF_8),
                response.statusCode(), response.headers().map(), response.body().getBytes(StandardCharsets.UTF_8));
        assertProblem(new TestHttp.Response(response.statusCode(), response.headers().map(), response.body()), "/token");
    }

    /** Found by checking exchanges against openapi.yaml: the first of two tokens was taken. */
    @Test
    void aFormWithTheTokenTwiceIsRefusedNamingTheToken() {
        String token = "A".repeat(43);
        assertProblem(TestHttp.send("POST", stack.baseUrl() + "/invitations/accept", "token=" + token + "&token=" + token,
                "Content-Type", "application/x-www-form-urlencoded"), "/token");
    }

    /** Found by the fuzzer: a form's token won over a different one in the query, which went unchecked. */
    @Test
    void aBodyTokenThatDiffersFromTheQueryTokenIsRefused() {
        assertProblem(TestHttp.send("POST", stack.baseUrl() + "/invitations/accept?token=" + "B".repeat(43), "token=" + "A".repeat(43),
                "Content-Type", "application/x-www-form-urlencoded"), "/token");
        assertProblem(TestHttp.send("POST", stack.baseUrl() + "/invitations/accept?token=" + "B".repeat(43),
                "{\"token\":\"" + "A".repeat(43) + "\"}", "Content-Type", "application/json"), "/token");
    }

    /** Found by checking exchanges against openapi.yaml: a year past 9999 was read as a time. */
    @Test
    void aMembersFilterPastYear9999NamesTheParameter() {
        assertProblem(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members?expiringBefore=%2B100000-01-01T00:00:00Z", admin),
                "/expiringBefore");
    }

    /** Found by checking exchanges against openapi.yaml: the CSV export took any limit. */
    @Test
    void theCsvExportRefusesAMalformedLimitToo() {
        assertProblem(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?limit=lots", admin[0], admin[1],
                "Accept", "text/csv"), "/limit");
    }

    @Test
    void auditQueriesOutsideWhatCanBeAnsweredNameTheParameter() {
        assertProblem(audit("since=2026-11-25T00:00:00Z&until=2026-11-24T00:00:00Z"), "/since");
        assertProblem(audit("since=1960-01-01T00:00:00Z"), "/since");
        assertProblem(audit("since=%2B100000-01-01T00:00:00Z"), "/since");
        assertProblem(audit("cursor=enp6eg"), "/cursor");
        // Until before 1970 once returned every event; it is refused.
        assertProblem(audit("until=1969-12-31T23:59:59Z"), "/until");
    }

    @Test
    void propertyNumbersDynamoDbCannotStoreNameTheProperty() {
        for (String number : List.of("1e200", "1e400", "1e-200", "123456789012345678901234567890123456789")) {
            TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/api/add_user_properties", "{\"app_id\":\"" + projectId
                    + "\",\"identity\":\"n-" + UUID.randomUUID() + "\",\"properties\":{\"score\":" + number + "}}", "Authorization", "Bearer " + key);
            assertProblem(response, "/properties/score");
        }
    }

    @Test
    void aRoleTemplateWithoutAProjectRoleNamesIt() {
        TestHttp.Response response = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId,
                "{\"settings\":{\"roleTemplates\":{\"t\":{\"orgRole\":\"member\"}}}}", admin);
        assertProblem(response, "/settings/roleTemplates/t/projectRole");
    }

    @Test
    void namesWithoutLatinLettersGetASlugAndControlCharactersAreRefused() {
        TestHttp.Response japanese = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"日本語の組織\"}", admin);
        assertThat(japanese.status()).as(japanese.body()).isEqualTo(201);
        assertThat((String) japanese.json().get("slug")).matches("org-[a-z0-9]{4}");
        assertThat(TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"!!\"}", admin).status()).isEqualTo(201);
        assertProblem(TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme\\u0000\"}", admin), "/name");
        assertProblem(TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme\\r\\nBcc: x@evil.example\"}", admin), "/name");
    }

    @Test
    void aBodyWithOneKeyTwiceIsRefused() {
        TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"One\",\"name\":\"Two\"}", admin);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.header("content-type")).startsWith("application/problem+json");
        assertThat(response.json().get("detail")).asString().contains("\"name\" twice");
    }

    @Test
    void aDecimalPropertyIsStoredWithEveryDigitSent() {
        String identity = "d-" + UUID.randomUUID();
        String digits = "3.14159265358979323846264338327";
        TestHttp.Response stored = TestHttp.post(stack.baseUrl() + "/api/add_user_properties", "{\"app_id\":\"" + projectId
                + "\",\"identity\":\"" + identity + "\",\"properties\":{\"pi\":" + digits + "}}", "Authorization", "Bearer " + key);
        assertThat(stored.status()).as(stored.body()).isLessThan(300);
        TestHttp.Response read = TestHttp.get(stack.baseUrl() + "/api/v1/users?app_id=" + projectId + "&identity=" + identity,
                "Authorization", "Bearer " + key);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).contains("\"pi\":" + digits);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTokenWithWhitespaceAcceptsAndTheAnswerIsAMinimalView() {
        String invitee = "bad-input-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + invitee
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"viewer\"}],"
                + "\"note\":{\"justification\":\"secret reasons\"}}", admin);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        String token = Invitations.tokenFromEmail(stack, invitee);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\" " + token + " \"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        Map<String, Object> answer = accepted.json();
        assertThat(answer).containsKeys("id", "orgId", "orgName", "orgRole", "projects").containsEntry("orgId", orgId)
                .doesNotContainKeys("note", "stakeholders", "invitedBy", "invitationId");
        assertThat(accepted.body()).doesNotContain("secret reasons");
    }

    @Test
    void aKelvinSignInTheTokenEmailIsNotAnotherPersonsMembership() {
        String local = "kate-" + UUID.randomUUID();
        String[] kate = TestHttp.bearer(stack, local + "@acme.example");
        String kateOrg = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Kate Co\"}", kate).json().get("id");
        String[] kelvin = TestHttp.bearer(stack, "\u212A" + local.substring(1) + "@acme.example");
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + kateOrg, kelvin).status()).isIn(403, 404);
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + kateOrg, kate).status()).isEqualTo(200);
    }

    private static TestHttp.Response audit(String query) {
        return TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?" + query, admin);
    }

    @SuppressWarnings("unchecked")
    private static void assertProblem(TestHttp.Response response, String pointer) {
        assertThat(response.status()).as(response.body()).isIn(400, 422);
        assertThat(response.header("content-type")).startsWith("application/problem+json");
        assertThat((List<Map<String, Object>>) response.json().get("errors")).as(response.body())
                .extracting(e -> e.get("pointer")).contains(pointer);
    }
}
