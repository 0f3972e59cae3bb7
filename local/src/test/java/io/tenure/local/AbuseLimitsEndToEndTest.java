package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 4 over HTTP on the shared stack: the public accept route's throttle, one uniform
 * 401 on the /api routes whether or not the app_id exists, archived projects' keys refused, and
 * the daily limit of orgs one person creates.
 */
class AbuseLimitsEndToEndTest {
    private static LocalStack stack;
    private static String[] admin;
    private static String orgId;

    @BeforeAll
    static void start() {
        stack = SharedStack.get();
        admin = TestHttp.bearer(stack, "limits-admin-" + UUID.randomUUID() + "@acme.example");
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Limits Co\"}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        orgId = (String) org.json().get("id");
    }

    @Test
    void aBurstOnTheAcceptRouteBeyondItsLimitGets429AndASecondLaterRequestsPassAgain() throws Exception {
        // Whatever earlier tests took, 3 s refill the route's bucket of 20 at 10 a second.
        stack.clock().advance(Duration.ofSeconds(3));
        String url = stack.baseUrl() + "/invitations/accept?token=" + "x".repeat(43);
        // 60 at once: they reach the gateway within moments, far faster than 10 a second refill.
        ExecutorService callers = Executors.newFixedThreadPool(60);
        List<Future<TestHttp.Response>> burst = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                burst.add(callers.submit(() -> TestHttp.get(url)));
            }
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<TestHttp.Response> call : burst) {
                TestHttp.Response response = call.get();
                statuses.merge(response.status(), 1, Integer::sum);
                if (response.status() == 429) {
                    assertThat(response.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
                }
            }
            System.out.println("[limits] 60 requests at once on GET /invitations/accept answered " + statuses);
            assertThat(statuses.keySet()).as("the function's 404 for an unknown token, or the throttle's 429").containsOnly(404, 429);
            assertThat(statuses.get(404)).as("the burst passes").isGreaterThanOrEqualTo(20);
            assertThat(statuses.get(429)).as("beyond it, refused").isNotNull();
        } finally {
            callers.shutdownNow();
        }

        stack.clock().advance(Duration.ofSeconds(1));
        assertThat(TestHttp.get(url).status()).as("one second later").isEqualTo(404);
        assertThat(TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + "y".repeat(43) + "\"}").status())
                .as("POST has a bucket of its own").isNotEqualTo(429);
        stack.clock().advance(Duration.ofSeconds(2)); // leave the bucket full for whoever comes next
    }

    @Test
    void everyFailedAuthenticationOnTheApiRoutesIsTheSame401WhetherOrNotTheAppIdExists() {
        String appA = project("Uniform A");
        String appB = project("Uniform B");
        String keyA = apiKey(appA).secret();
        ApiKey revokedKey = apiKey(appA);
        String revoked = revokedKey.secret();
        assertThat(TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId + "/projects/" + appA + "/api-keys/" + revokedKey.id(),
                null, admin).status()).isEqualTo(204);
        String noSuchApp = "prj_01JNOSUCHPROJECT0000000000";

        Map<String, TestHttp.Response> answers = new LinkedHashMap<>();
        answers.put("unknown app_id, no key", identify(null, noSuchApp));
        answers.put("unknown app_id, a valid key", identify(keyA, noSuchApp));
        answers.put("unknown app_id, a made-up key", identify("tnr_made-up", noSuchApp));
        answers.put("existing app_id, no key", identify(null, appA));
        answers.put("existing app_id, a made-up key", identify("tnr_made-up", appA));
        answers.put("existing app_id, a revoked key", identify(revoked, appA));
        answers.put("existing app_id, another project's key", identify(keyA, appB));
        answers.put("lookup, unknown app_id", TestHttp.get(stack.baseUrl() + "/api/v1/identity?app_id=" + noSuchApp + "&user_id=1",
                "Authorization", "Bearer " + keyA));
        answers.put("lookup, another project's key", TestHttp.get(stack.baseUrl() + "/api/v1/users?app_id=" + appB + "&identity=ana",
                "Authorization", "Bearer " + keyA));

        TestHttp.Response first = answers.values().iterator().next();
        assertThat(first.status()).isEqualTo(401);
        assertThat(first.header("content-type")).isEqualTo("application/problem+json");
        answers.forEach((what, answer) -> {
            assertThat(answer.status()).as(what).isEqualTo(401);
            assertThat(answer.body()).as(what).isEqualTo(first.body());
        });
        assertThat(identify(keyA, appA).status()).as("the right key still works").isEqualTo(200);
    }

    @Test
    void anArchivedProjectsKeyIsRefusedAtOnceAndWorksAgainOnceUnarchived() {
        String app = project("Archived soon");
        String key = apiKey(app).secret();
        assertThat(identify(key, app).status()).isEqualTo(200);

        assertThat(archive(app, true).status()).isEqualTo(200);
        TestHttp.Response refused = identify(key, app);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json()).containsEntry("detail",
                "This project is archived: its API keys are refused until an admin unarchives it.");
        assertThat(TestHttp.send("DELETE", stack.baseUrl() + "/api/v1/users?app_id=" + app + "&identity=ana", null,
                "Authorization", "Bearer " + key).status()).as("erasure too").isEqualTo(403);
        assertThat(identify("tnr_made-up", app).status()).as("without its key, nothing says it is archived").isEqualTo(401);

        assertThat(archive(app, false).status()).isEqualTo(200);
        assertThat(identify(key, app).status()).isEqualTo(200);
    }

    @Test
    void theEleventhOrgOnePersonCreatesInAUtcDayGets429UntilMidnight() {
        awayFromMidnight();
        String[] founder = TestHttp.bearer(stack, "founder-" + UUID.randomUUID() + "@acme.example");
        for (int i = 1; i <= 10; i++) {
            TestHttp.Response created = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Founder " + i + "\"}", founder);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }
        TestHttp.Response refused = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Founder 11\"}", founder);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("content-type")).isEqualTo("application/problem+json");
        assertThat(refused.json()).containsEntry("code", "rate_limited");
        Instant now = stack.clock().instant();
        long toMidnight = Duration.between(now, LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds();
        // The function's clock counts whole seconds, and this one was read a moment after it.
        assertThat(Long.parseLong(refused.header("retry-after"))).as("until midnight UTC").isBetween(toMidnight - 5, toMidnight + 2);

        assertThat(TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Someone else's\"}",
                TestHttp.bearer(stack, "other-founder-" + UUID.randomUUID() + "@acme.example")).status())
                .as("another person").isEqualTo(201);
    }

    /** The count starts again at midnight UTC: keep this test within one day. */
    private static void awayFromMidnight() {
        Instant now = stack.clock().instant();
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (Duration.between(now, midnight).compareTo(Duration.ofHours(1)) < 0) {
            stack.clock().advance(Duration.between(now, midnight).plusMinutes(1));
        }
    }

    private static TestHttp.Response identify(String key, String app) {
        long userId = java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 53);
        String body = "{\"app_id\":\"" + app + "\",\"identity\":\"ana-" + UUID.randomUUID() + "\",\"user_id\":" + userId + "}";
        return key == null ? TestHttp.post(stack.baseUrl() + "/api/v1/identify", body)
                : TestHttp.post(stack.baseUrl() + "/api/v1/identify", body, "Authorization", "Bearer " + key);
    }

    private static TestHttp.Response archive(String app, boolean archived) {
        return TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId + "/projects/" + app, "{\"archived\":" + archived + "}", admin);
    }

    private static String project(String name) {
        TestHttp.Response project = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"" + name + "\"}", admin);
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        return (String) project.json().get("id");
    }

    private record ApiKey(String id, String secret) {
    }

    private static ApiKey apiKey(String app) {
        TestHttp.Response key = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects/" + app + "/api-keys",
                "{\"name\":\"k-" + UUID.randomUUID() + "\"}", admin);
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        return new ApiKey((String) key.json().get("id"), (String) key.json().get("secret"));
    }
}
