package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The shared local stack: health, the local authorizer, routing, the clock and the SES emulator. */
class LocalStackTest {
    private final LocalStack stack = SharedStack.get();

    @Test
    void healthIsOkOnceEveryPartIsUp() {
        TestHttp.Response health = TestHttp.get(stack.baseUrl() + "/_local/health");
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json()).containsEntry("status", "ok").containsEntry("ses", "up")
                .containsEntry("dynamodb", "up");
        assertThat(stack.tableName()).isNotBlank();
        assertThat(stack.dynamoDbEndpoint()).startsWith("http://127.0.0.1:");
    }

    @Test
    void tokenRouteReturnsAJwt() {
        TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/_local/token",
                "{\"email\":\"admin@example.com\"}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(String.valueOf(response.json().get("token"))).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    }

    @Test
    void tokenRouteNeedsAnEmail() {
        assertThat(TestHttp.post(stack.baseUrl() + "/_local/token", "{}").status()).isEqualTo(400);
    }

    @Test
    void protectedRouteWithoutATokenIs401() {
        TestHttp.Response response = TestHttp.get(stack.baseUrl() + "/orgs/org_x");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json()).containsEntry("message", "Unauthorized");
    }

    @Test
    void protectedRouteWithAGarbageTokenIs401() {
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/org_x", "Authorization", "Bearer garbage").status())
                .isEqualTo(401);
    }

    @Test
    void tokensNotFromTheLocalAuthorizerOrExpiredAre401() {
        String foreign = new LocalAuthorizer(stack.authorizer().issuer()).token("a@example.com", null, true);
        String expired = stack.authorizer().token("a@example.com", null, true, Duration.ofMinutes(-1));
        String otherIssuer = new LocalAuthorizer("https://elsewhere.example/").token("a@example.com", null, true);
        for (String token : List.of(foreign, expired, otherIssuer)) {
            assertThat(TestHttp.get(stack.baseUrl() + "/orgs/org_x", "Authorization", "Bearer " + token).status())
                    .isEqualTo(401);
        }
    }

    @Test
    void protectedRouteWithAValidTokenReachesTheFunction() {
        TestHttp.Response response = TestHttp.get(stack.baseUrl() + "/orgs/org_x",
                TestHttp.bearer(stack, "admin@example.com"));
        // Any answer of the function's own (e.g. its 404 problem for an unknown org), not the gateway's.
        assertThat(response.status()).as(response.body()).isNotEqualTo(401);
        assertThat(response.body()).isNotEqualTo("{\"message\":\"Not Found\"}");
    }

    @Test
    void twentyConcurrentRequestsAreAllServed() {
        String[] bearer = TestHttp.bearer(stack, "admin@example.com");
        List<CompletableFuture<TestHttp.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String url = stack.baseUrl() + "/orgs/org_" + i;
            calls.add(CompletableFuture.supplyAsync(() -> TestHttp.get(url, bearer)));
        }
        for (CompletableFuture<TestHttp.Response> call : calls) {
            assertThat(call.join().status()).isNotEqualTo(401).isLessThan(500);
        }
    }

    @Test
    void unknownPathIs404() {
        TestHttp.Response response = TestHttp.get(stack.baseUrl() + "/no/such/route");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json()).containsEntry("message", "Not Found");
        assertThat(TestHttp.post(stack.baseUrl() + "/_local/schedules/NoSuchSchedule", null).status())
                .isEqualTo(404);
    }

    /**
     * {@code POST /_local/invoke/{LogicalId}} runs a function on an event, as {@code sam local invoke
     * -e} does: the sample SES bounce, given an invitation's message id, marks its delivery bounced.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anyFunctionRunsOnAnEventPostedToInvoke() throws Exception {
        String[] bearer = TestHttp.bearer(stack, "invoke-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Invoke Co\"}", bearer).json().get("id");
        TestHttp.Response invited = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"bounce-" + UUID.randomUUID() + "@partner.example\",\"orgRole\":\"admin\"}", bearer);
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        String messageId = (String) ((Map<String, Object>) invited.json().get("delivery")).get("messageId");
        String bounce = Files.readString(ProjectFiles.root().resolve("events/email/bounce.json"))
                .replace("0100019b5f2c1a2b-3c4d5e6f-7a8b-9c0d-1e2f-3a4b5c6d7e8f-000000", messageId);

        TestHttp.Response ran = TestHttp.post(stack.baseUrl() + "/_local/invoke/EmailEventsFunction", bounce);
        assertThat(ran.status()).as(ran.body()).isEqualTo(200);
        assertThat(ran.body()).contains("recorded");
        Map<String, Object> invitation = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + invited.json().get("id"), bearer).json();
        assertThat((Map<String, Object>) invitation.get("delivery")).containsEntry("status", "bounced");

        assertThat(TestHttp.post(stack.baseUrl() + "/_local/invoke/NoSuchFunction", "{}").status()).isEqualTo(404);
        assertThat(TestHttp.post(stack.baseUrl() + "/_local/invoke/EmailEventsFunction", "not json").status()).isEqualTo(400);
    }

    @Test
    void clockCanBeAdvancedAndSet() {
        try {
            Instant before = Instant.parse(String.valueOf(
                    TestHttp.get(stack.baseUrl() + "/_local/clock").json().get("now")));
            Instant advanced = Instant.parse(String.valueOf(TestHttp.post(stack.baseUrl() + "/_local/clock",
                    "{\"advance\":\"P8D\"}").json().get("now")));
            assertThat(Duration.between(before, advanced)).isBetween(Duration.ofDays(8), Duration.ofDays(8).plusMinutes(1));
            Instant later = Instant.parse(String.valueOf(TestHttp.post(stack.baseUrl() + "/_local/clock",
                    "{\"advance\":\"PT72H\"}").json().get("now")));
            assertThat(Duration.between(advanced, later)).isBetween(Duration.ofHours(72), Duration.ofHours(72).plusMinutes(1));

            TestHttp.Response set = TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"set\":\"2031-05-01T10:00:00Z\"}");
            assertThat(set.status()).isEqualTo(200);
            assertThat(Instant.parse(String.valueOf(set.json().get("now"))))
                    .isBetween(Instant.parse("2031-05-01T10:00:00Z"), Instant.parse("2031-05-01T10:01:00Z"));
            assertThat(stack.clock().instant()).isAfterOrEqualTo(Instant.parse("2031-05-01T10:00:00Z"));
            assertThat(TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"advance\":\"eight days\"}").status())
                    .isEqualTo(400);
        } finally {
            stack.clock().reset();
        }
    }

    @Test
    void stoppingTheSesEmulatorMakesHealth503UntilItStartsAgain() {
        try {
            stack.ses().stop();
            assertThat(TestHttp.get(stack.baseUrl() + "/_local/health").status()).isEqualTo(503);
        } finally {
            stack.ses().start();
        }
        assertThat(TestHttp.get(stack.baseUrl() + "/_local/health").status()).isEqualTo(200);
    }

    @Test
    void fakeEventBridgeAnswersPutEventsAndRecordsTheEntries() {
        TestHttp.Response response = TestHttp.send("POST", stack.baseUrl() + "/_local/eventbridge",
                "{\"Entries\":[{\"Source\":\"tenure.test\",\"DetailType\":\"Probe\",\"Detail\":\"{}\"}]}",
                "X-Amz-Target", "AWSEvents.PutEvents", "Content-Type", "application/x-amz-json-1.1");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(response.json()).containsEntry("FailedEntryCount", 0);
        assertThat(TestHttp.get(stack.baseUrl() + "/_local/events").body()).contains("tenure.test");
    }
}
