package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every sample event in {@code events/} invoked on its function from the function's own jar, as
 * {@code sam local invoke -e} would, after pointing its ids at a real org, project and admin.
 * A sample that no longer fits its handler fails here.
 */
class SampleEventTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SAMPLE_ORG = "org_01KAV3Q0M4Y8Z2T5W6X7C9D0EF";
    private static final String SAMPLE_PROJECT = "prj_01KAV3Q7H2J3K4L5M6N7P8Q9RS";
    private static final String SAMPLE_INVITATION = "inv_01KAV3T8B1C2D3E4F5G6H7J8K9";
    private static final String SAMPLE_TOKEN = "q2Zk7w8fJcX1yVbN4mT6rA9sLpE3uHgD0iKoWzQxYtC";
    private static final String SAMPLE_CHECKIN_TOKEN = "Vb7Qw2eRt5yUi8oPa1sDf4gHj6kLz9xCv3bNm0qWe2r";
    private static final String SAMPLE_MEMBER = "mem_01KAV3W4X5Y6Z7A8B9C0D1E2F3";
    private static final String SAMPLE_REQUEST = "req_01KAV3R2A7B8C9D0E1F2G3H4J5";
    private static final String SAMPLE_REVIEW = "rev_01KAV3S4B5C6D7E8F9G0H1J2K3";
    /** A second admin of the sample org, who asks for the invitations the request samples approve, deny or read. */
    private static String[] requester;
    private static final String SAMPLE_KEY_ID = "key_01KAV3Y8Z9A0B1C2D3E4F5G6H7";
    private static final String SAMPLE_SECRET = "tnr_Zm9vYmFyYmF6cXV4cXV1eHp6eXl4eHd3dnZ1dXR0c3M";

    private static LocalStack stack;
    private static Map<String, String> functionByRoute;
    private static String admin;

    @BeforeAll
    static void start() {
        stack = SharedStack.get();
        functionByRoute = stack.template().routes().stream()
                .collect(Collectors.toMap(TemplateModel.Route::routeKey, TemplateModel.Route::functionId));
        admin = "sample-admin-" + UUID.randomUUID() + "@acme.example";
    }

    @Test
    void everyRouteSampleWorksOnItsHandler() throws Exception {
        Map<String, JsonNode> samples = samples();
        assertThat(samples.keySet().stream().map(SampleEventTest::route)).containsAll(functionByRoute.keySet());

        JsonNode created = invoke(sample(samples, "POST /orgs"), null, null);
        assertThat(created.path("statusCode").asInt()).as(created.toString()).isEqualTo(201);
        String orgId = MAPPER.readTree(created.path("body").asText()).path("id").asText();
        JsonNode project = invoke(sample(samples, "POST /orgs/{orgId}/projects"), orgId, null);
        assertThat(project.path("statusCode").asInt()).as(project.toString()).isEqualTo(201);
        String projectId = MAPPER.readTree(project.path("body").asText()).path("id").asText();

        // Changes (PATCH, DELETE) run last, so a revoked invitation does not stop the others; archiving
        // the project runs very last, since an archived project's API keys are refused at once.
        List<Map.Entry<String, JsonNode>> ordered = samples.entrySet().stream()
                .sorted(java.util.Comparator.comparing(e -> route(e.getKey()).equals("PATCH /orgs/{orgId}/projects/{projectId}") ? 4
                        : List.of("POST", "GET", "PATCH", "DELETE").indexOf(e.getKey().split(" ")[0])))
                .toList();
        // Check-in links come 30 days after an acceptance: their members are made and the clock moved
        // first, before the invitations the other samples act on (which would expire meanwhile).
        Map<String, String> checkinTokens = checkinTokens(ordered.stream().map(Map.Entry::getKey)
                .filter(key -> samples.get(key).toString().contains(SAMPLE_CHECKIN_TOKEN)).toList(), orgId, projectId);
        // Those 30 days may cross a quarter's start, whose review is then open: decided whole, so the
        // sample opens one.
        closeOpenReview(orgId);
        // Invitations the samples act on are made first, before any sample changes the org.
        Map<String, JsonNode> prepared = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> sample : ordered) {
            JsonNode value = sample.getValue();
            if (checkinTokens.containsKey(sample.getKey())) {
                value = MAPPER.readTree(value.toString().replace(SAMPLE_CHECKIN_TOKEN, checkinTokens.get(sample.getKey())));
            }
            prepared.put(sample.getKey(), withFreshInvitation(value, orgId, projectId));
        }
        stack.clock().advance(java.time.Duration.ofMinutes(2)); // resend allows one send a minute
        for (Map.Entry<String, JsonNode> sample : prepared.entrySet()) {
            if (route(sample.getKey()).equals("POST /orgs")) {
                continue;
            }
            JsonNode response = invoke(sample.getValue(), orgId, projectId);
            int status = response.path("statusCode").asInt();
            assertThat(status).as(sample.getKey() + " → " + response).isBetween(200, 299);
            assertThat(response.path("headers").path("x-request-id").asText()).isNotBlank();
        }
    }

    @SuppressWarnings("unchecked")
    private static void closeOpenReview(String orgId) {
        String[] bearer = TestHttp.bearer(stack, admin);
        List<Map<String, Object>> reviews = (List<Map<String, Object>>) TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/reviews", bearer)
                .json().get("items");
        for (Map<String, Object> review : reviews) {
            if (!"open".equals(review.get("status"))) {
                continue;
            }
            String base = stack.baseUrl() + "/orgs/" + orgId + "/reviews/" + review.get("id");
            for (Map<String, Object> item : (List<Map<String, Object>>) TestHttp.get(base, bearer).json().get("items")) {
                TestHttp.Response kept = TestHttp.post(base + "/items/" + item.get("memberId"), "{\"decision\":\"keep\",\"note\":\"sample\"}", bearer);
                assertThat(kept.status()).as(kept.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void aSampleWithoutClaimsIsRefusedByTheHandlerToo() throws Exception {
        ObjectNode event = (ObjectNode) sample(samples(), "GET /orgs/{orgId}").deepCopy();
        ((ObjectNode) event.path("requestContext")).remove("authorizer");
        JsonNode response = MAPPER.readTree(stack.invoke("OrgsFunction", event.toString()));

        assertThat(response.path("statusCode").asInt()).isEqualTo(401);
        assertThat(response.path("headers").path("content-type").asText()).isEqualTo("application/problem+json");
    }

    /**
     * A check-in link of its own for each of {@code samples}: a member each is invited and accepts, the
     * clock moves 30 days on, the reminders run, and each check-in email's "Still needed" link is read.
     */
    private static Map<String, String> checkinTokens(List<String> samples, String orgId, String projectId) {
        Map<String, String> members = new java.util.LinkedHashMap<>();
        for (String sample : samples) {
            String email = "sample-checkin-" + UUID.randomUUID() + "@partner.example";
            TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                    "{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                            + "\",\"role\":\"viewer\"}]}", TestHttp.bearer(stack, admin));
            assertThat(invite.status()).as(invite.body()).isEqualTo(201);
            TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                    "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
            members.put(sample, email);
        }
        if (members.isEmpty()) {
            return Map.of();
        }
        stack.clock().advance(java.time.Duration.ofDays(30).plusHours(1));
        TestHttp.Response run = TestHttp.post(stack.baseUrl() + "/_local/schedules/RemindersSchedule", null);
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        List<Map<String, Object>> emails = SesMailbox.emails(stack.sesUrl());
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        members.forEach((sample, email) -> tokens.put(sample, Invitations.checkinTokens(emails, email).get("Still needed")));
        return tokens;
    }

    /** Points a sample's invitation id and token at a new, real invitation (each sample gets its own). */
    private static JsonNode withFreshInvitation(JsonNode sample, String orgId, String projectId) throws Exception {
        String text = sample.toString();
        if (text.contains(SAMPLE_SECRET) || text.contains(SAMPLE_KEY_ID)) {
            // A real key of the real project stands in for the sample's.
            TestHttp.Response key = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects/" + projectId + "/api-keys",
                    "{\"name\":\"sample\"}", TestHttp.bearer(stack, admin));
            assertThat(key.status()).as(key.body()).isEqualTo(201);
            text = text.replace(SAMPLE_SECRET, String.valueOf(key.json().get("secret"))).replace(SAMPLE_KEY_ID, String.valueOf(key.json().get("id")));
        }
        if (text.contains(SAMPLE_REVIEW)) {
            // An org of its own with a member and an open review holding them: the main org's review
            // is the one its open-review sample makes (one open review per org).
            return MAPPER.readTree(reviewSample(text, projectId));
        }
        if (text.contains(SAMPLE_REQUEST)) {
            text = text.replace(SAMPLE_REQUEST, freshRequest(orgId, projectId));
        }
        if (!text.contains(SAMPLE_INVITATION) && !text.contains(SAMPLE_TOKEN) && !text.contains(SAMPLE_MEMBER)) {
            return MAPPER.readTree(text);
        }
        String invitee = "sample-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + invitee + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                        + "\",\"role\":\"viewer\"}]}", TestHttp.bearer(stack, admin));
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        String token = Invitations.tokenFromEmail(stack, invitee);
        if (text.contains(SAMPLE_MEMBER)) {
            TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + token + "\"}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
            text = text.replace(SAMPLE_MEMBER, String.valueOf(accepted.json().get("id")));
        }
        return MAPPER.readTree(text.replace(SAMPLE_INVITATION, String.valueOf(invite.json().get("id")))
                .replace(SAMPLE_TOKEN, token));
    }

    /** {@code text} pointed at an org of its own with one member and an open review of it. */
    private static String reviewSample(String text, String ignoredProjectId) {
        String[] bearer = TestHttp.bearer(stack, admin);
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Sample reviews\"}", bearer);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        String reviewOrg = String.valueOf(org.json().get("id"));
        String project = String.valueOf(TestHttp.post(stack.baseUrl() + "/orgs/" + reviewOrg + "/projects", "{\"name\":\"Web\"}", bearer)
                .json().get("id"));
        String email = "sample-reviewed-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + reviewOrg + "/invitations", "{\"email\":\"" + email
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + project + "\",\"role\":\"viewer\"}]}", bearer);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        TestHttp.Response review = TestHttp.post(stack.baseUrl() + "/orgs/" + reviewOrg + "/reviews", null, bearer);
        assertThat(review.status()).as(review.body()).isEqualTo(201);
        return text.replace(SAMPLE_ORG, reviewOrg).replace(SAMPLE_REVIEW, String.valueOf(review.json().get("id")))
                .replace(SAMPLE_MEMBER, String.valueOf(accepted.json().get("id")));
    }

    /**
     * A pending invitation request of its own, asked by a second admin (the sample's caller is an
     * admin, and nobody approves their own request).
     */
    private static String freshRequest(String orgId, String projectId) {
        if (requester == null) {
            String email = "sample-second-admin-" + UUID.randomUUID() + "@acme.example";
            TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                    "{\"email\":\"" + email + "\",\"orgRole\":\"admin\"}", TestHttp.bearer(stack, admin));
            assertThat(invite.status()).as(invite.body()).isEqualTo(201);
            TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                    "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
            requester = TestHttp.bearer(stack, email);
        }
        TestHttp.Response filed = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitation-requests",
                "{\"reason\":\"sample\",\"invitation\":{\"email\":\"sample-asked-" + UUID.randomUUID()
                        + "@partner.example\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                        + "\",\"role\":\"viewer\"}]}}", requester);
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        return String.valueOf(filed.json().get("id"));
    }

    private static JsonNode invoke(JsonNode sample, String orgId, String projectId) throws Exception {
        // Sample end dates are fixed; the stack's clock may have been moved past them by other tests.
        String later = stack.clock().instant().plus(java.time.Duration.ofDays(90)).truncatedTo(java.time.temporal.ChronoUnit.DAYS).toString();
        String text = sample.toString().replace("admin@acme.example", admin)
                .replaceAll("20\\d\\d-\\d\\d-\\d\\dT00:00:00Z", later);
        if (orgId != null) {
            text = text.replace(SAMPLE_ORG, orgId);
        }
        if (projectId != null) {
            text = text.replace(SAMPLE_PROJECT, projectId);
        }
        ObjectNode event = (ObjectNode) MAPPER.readTree(text);
        if (event.path("routeKey").asText().equals("POST /orgs")) {
            // Slugs are unique across orgs, so each run takes its own.
            ObjectNode body = (ObjectNode) MAPPER.readTree(event.path("body").asText());
            body.put("slug", "sample-" + UUID.randomUUID().toString().substring(0, 8));
            event.put("body", body.toString());
        }
        String function = functionByRoute.get(event.path("routeKey").asText());
        return MAPPER.readTree(stack.invoke(function, event.toString()));
    }

    /** The route part of a sample's name, {@code "POST /orgs [orgs/create-org.json]"}. */
    private static String route(String name) {
        return name.substring(0, name.indexOf(" ["));
    }

    private static JsonNode sample(Map<String, JsonNode> samples, String route) {
        return samples.entrySet().stream().filter(e -> route(e.getKey()).equals(route)).findFirst().orElseThrow().getValue();
    }

    /** Every sample event with a routeKey, named by route and file. */
    private static Map<String, JsonNode> samples() throws IOException {
        Path events = LocalStack.findProjectRoot().resolve("events");
        try (Stream<Path> files = Files.walk(events)) {
            List<Path> json = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            Map<String, JsonNode> byRoute = new java.util.TreeMap<>();
            for (Path file : json) {
                JsonNode event = MAPPER.readTree(file.toFile());
                if (event.has("routeKey")) {
                    byRoute.put(event.path("routeKey").asText() + " [" + events.relativize(file) + "]", event);
                }
            }
            return byRoute;
        }
    }
}
