package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The invitation lifecycle end to end through the local stack: the accept page, accept, resend,
 * expiry read at once, revoke, who may do what, idempotency, and that no token leaks.
 */
class InvitationLifecycleEndToEndTest {
    private static final HttpClient BROWSER = HttpClient.newHttpClient();
    private static final List<String> RESPONSES = new CopyOnWriteArrayList<>();
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static PrintStream originalOut;
    private static LocalStack stack;
    private static DynamoDbClient dynamo;
    private static String adminEmail;
    private static String[] admin;
    private static String orgId;
    private static String projectId;

    @BeforeAll
    static void createOrg() {
        stack = SharedStack.get();
        // Everything the functions print in this JVM goes through here too, to look for leaked tokens.
        originalOut = System.out;
        System.setOut(new PrintStream(new TeeStream(originalOut, LOG), true, StandardCharsets.UTF_8));
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(stack.dynamoDbEndpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        adminEmail = "owner-" + UUID.randomUUID() + "@acme.example";
        admin = TestHttp.bearer(stack, adminEmail);
        orgId = (String) call("POST", "/orgs", "{\"name\":\"Acme Analytics\",\"settings\":{\"supportContact\":\"data-team@acme.example\"}}", admin).json().get("id");
        projectId = (String) call("POST", "/orgs/" + orgId + "/projects", "{\"name\":\"Web storefront\"}", admin).json().get("id");
    }

    @AfterAll
    static void noTokenOrHashLeaked() throws Exception {
        System.setOut(originalOut);
        String logs = LOG.toString(StandardCharsets.UTF_8);
        List<String> tokens = new ArrayList<>();
        for (Map<String, Object> email : SesMailbox.emails(stack.sesUrl())) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(SesMailbox.text(email));
            while (m.find()) {
                tokens.add(m.group(1));
            }
        }
        assertThat(tokens).as("tokens sent in this run").isNotEmpty();
        assertThat(logs).as("captured logs").isNotEmpty();
        for (String token : tokens) {
            String hash = sha256(token);
            assertThat(logs).doesNotContain(token).doesNotContain(hash);
            for (String body : RESPONSES) {
                assertThat(body).doesNotContain(token).doesNotContain(hash);
            }
        }
    }

    @Test
    void openingTheLinkChangesNothingThenAcceptMakesTheMemberAndSendsTheEmails() throws Exception {
        String invitee = "ana-" + UUID.randomUUID() + "@partner.example";
        String stakeholder = "pm-" + UUID.randomUUID() + "@acme.example";
        TestHttp.Response invite = call("POST", "/orgs/" + orgId + "/invitations", inviteBody(invitee, "\"stakeholders\":[\"" + stakeholder + "\"]"), admin);
        String invitationId = (String) invite.json().get("id");
        String token = Invitations.tokenFromEmail(stack, invitee);

        HttpResponse<String> page = browser("GET", "/invitations/accept?token=" + token, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.headers().firstValue("cache-control")).contains("no-store");
        assertThat(page.headers().firstValue("referrer-policy")).contains("no-referrer");
        assertThat(page.headers().firstValue("x-robots-tag")).contains("noindex");
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'").contains("form-action 'self'").doesNotContain("script-src"));
        assertThat(page.body()).contains("Acme Analytics").contains(adminEmail).contains("Web storefront").contains("analyst")
                .contains("<form method=\"post\">").doesNotContain("<script").doesNotContain("src=\"http").doesNotContain(token);
        assertThat(call("GET", "/orgs/" + orgId + "/invitations/" + invitationId, null, admin).json()).containsEntry("status", "pending");

        HttpResponse<String> accepted = browser("POST", "/invitations/accept?token=" + token, "");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.body()).contains("You have joined Acme Analytics");

        TestHttp.Response me = call("GET", "/me", null, TestHttp.bearer(stack, invitee));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).contains(orgId).contains("\"orgRole\":\"member\"").contains(projectId);
        assertThat(call("GET", "/orgs/" + orgId + "/invitations/" + invitationId, null, admin).json()).containsEntry("status", "accepted");

        Map<String, Object> welcome = Await.value(Duration.ofSeconds(10), "welcome email", () -> SesMailbox.emailsTo(stack.sesUrl(), invitee)
                .stream().filter(e -> String.valueOf(e.get("subject")).startsWith("Welcome")).findFirst());
        assertThat(welcome.get("destination")).asString().contains(stakeholder);
        assertThat(SesMailbox.text(welcome)).contains("Web storefront").contains("data-team@acme.example");
        Map<String, Object> told = Await.value(Duration.ofSeconds(10), "accepted email", () -> SesMailbox.emailsTo(stack.sesUrl(), adminEmail)
                .stream().filter(e -> String.valueOf(e.get("subject")).equals(invitee + " accepted your invitation to Acme Analytics")).findFirst());
        assertThat(SesMailbox.text(told)).contains(invitee);
        assertThat(audit().stream().filter(a -> a.get("action").s().equals("invitation.accepted")
                && a.get("target").m().get("id").s().equals(invitationId))).hasSize(1);
    }

    @Test
    void twentyConcurrentAcceptsOfOneTokenMakeExactlyOneMember() throws Exception {
        String invitee = "race-" + UUID.randomUUID() + "@partner.example";
        call("POST", "/orgs/" + orgId + "/invitations", inviteBody(invitee, null), admin);
        String token = Invitations.tokenFromEmail(stack, invitee);

        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<TestHttp.Response>> racers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return call("POST", "/invitations/accept", "{\"token\":\"" + token + "\"}");
            }, pool));
        }
        start.countDown();
        List<TestHttp.Response> responses = new ArrayList<>();
        for (CompletableFuture<TestHttp.Response> racer : racers) {
            responses.add(racer.get());
        }
        pool.shutdown();

        assertThat(responses.stream().filter(r -> r.status() == 200)).hasSize(1);
        assertThat(responses.stream().filter(r -> r.status() == 410)).hasSize(19)
                .allSatisfy(r -> assertThat(r.json()).containsEntry("code", "invitation_used"));
        assertThat(orgPartition().stream().filter(i -> i.get("sk").s().startsWith("MEM#")
                && i.get("emailKey").s().equals(invitee))).hasSize(1);
    }

    @Test
    void afterAResendTheOldLinkIs410AndTheNewOneWorks() {
        String invitee = "resend-" + UUID.randomUUID() + "@partner.example";
        String id = (String) call("POST", "/orgs/" + orgId + "/invitations", inviteBody(invitee, null), admin).json().get("id");
        String oldToken = Invitations.tokenFromEmail(stack, invitee);

        TestHttp.Response tooSoon = call("POST", "/orgs/" + orgId + "/invitations/" + id + "/resend", null, admin);
        assertThat(tooSoon.status()).isEqualTo(429);
        assertThat(tooSoon.header("retry-after")).isNotBlank();
        stack.clock().advance(Duration.ofMinutes(2));
        TestHttp.Response resent = call("POST", "/orgs/" + orgId + "/invitations/" + id + "/resend", null, admin);
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(resent.json()).containsEntry("id", id).containsEntry("sendCount", 2).containsEntry("status", "pending");
        assertThat(resendChanges(id)).as("a pending invitation's status did not change").containsKeys("sendCount", "expiresAt")
                .doesNotContainKey("status");
        String newToken = Await.value(Duration.ofSeconds(10), "a second invitation email",
                () -> Invitations.allTokens(stack, invitee).stream().filter(t -> !t.equals(oldToken)).findFirst());

        TestHttp.Response old = call("POST", "/invitations/accept", "{\"token\":\"" + oldToken + "\"}");
        assertThat(old.status()).isEqualTo(410);
        assertThat(old.json()).containsEntry("code", "invitation_expired");
        assertThat(call("POST", "/invitations/accept", "{\"token\":\"" + newToken + "\"}").status()).isEqualTo(200);
    }

    @Test
    void anInvitationPastItsExpiryReadsExpiredAtOnceAndAResendBringsItBack() {
        String invitee = "late-" + UUID.randomUUID() + "@partner.example";
        String id = (String) call("POST", "/orgs/" + orgId + "/invitations", inviteBody(invitee, null), admin).json().get("id");
        String token = Invitations.tokenFromEmail(stack, invitee);

        stack.clock().advance(Duration.ofDays(8));
        assertThat(call("GET", "/orgs/" + orgId + "/invitations?status=expired&limit=100", null, admin).body()).contains(id);
        assertThat(call("GET", "/orgs/" + orgId + "/invitations?status=pending&limit=100", null, admin).body()).doesNotContain(id);
        TestHttp.Response expired = call("POST", "/invitations/accept", "{\"token\":\"" + token + "\"}");
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.json()).containsEntry("code", "invitation_expired");

        TestHttp.Response resent = call("POST", "/orgs/" + orgId + "/invitations/" + id + "/resend", null, admin);
        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(resent.json()).containsEntry("status", "pending");
        assertThat(resendChanges(id)).containsEntry("status", List.of("expired", "pending"));
        String fresh = Await.value(Duration.ofSeconds(10), "the new link",
                () -> Invitations.allTokens(stack, invitee).stream().filter(t -> !t.equals(token)).findFirst());
        assertThat(call("POST", "/invitations/accept", "{\"token\":\"" + fresh + "\"}").status()).isEqualTo(200);
    }

    @Test
    void aRevokedInvitationCannotBeAcceptedAndRevokeIsIdempotent() throws Exception {
        String invitee = "revoked-" + UUID.randomUUID() + "@partner.example";
        String id = (String) call("POST", "/orgs/" + orgId + "/invitations", inviteBody(invitee, null), admin).json().get("id");
        String token = Invitations.tokenFromEmail(stack, invitee);

        assertThat(call("DELETE", "/orgs/" + orgId + "/invitations/" + id, null, admin).status()).isEqualTo(204);
        assertThat(call("DELETE", "/orgs/" + orgId + "/invitations/" + id, null, admin).status()).isEqualTo(204);
        TestHttp.Response refused = call("POST", "/invitations/accept", "{\"token\":\"" + token + "\"}");
        assertThat(refused.status()).isEqualTo(410);
        assertThat(refused.json()).containsEntry("code", "invitation_revoked");
        HttpResponse<String> page = browser("GET", "/invitations/accept?token=" + token, null);
        assertThat(page.statusCode()).isEqualTo(410);
        assertThat(page.body()).contains("withdrawn");
        assertThat(browser("GET", "/invitations/accept?token=" + "x".repeat(43), null).statusCode()).isEqualTo(404);
        // A revoked invitation no longer blocks a new one for the address.
        assertThat(call("POST", "/orgs/" + orgId + "/invitations", inviteBody(invitee, null), admin).status()).isEqualTo(201);
    }

    @Test
    void otherOrgsMembersAndStrangersAreRefused() {
        String invitee = "member-" + UUID.randomUUID() + "@partner.example";
        String id = (String) call("POST", "/orgs/" + orgId + "/invitations", inviteBody(invitee, null), admin).json().get("id");
        call("POST", "/invitations/accept", "{\"token\":\"" + Invitations.tokenFromEmail(stack, invitee) + "\"}");
        String other = "pending-" + UUID.randomUUID() + "@partner.example";
        String pending = (String) call("POST", "/orgs/" + orgId + "/invitations", inviteBody(other, null), admin).json().get("id");

        String[] otherAdmin = TestHttp.bearer(stack, "boss-" + UUID.randomUUID() + "@other.example");
        call("POST", "/orgs", "{\"name\":\"Other Org\"}", otherAdmin);
        String base = "/orgs/" + orgId + "/invitations";
        assertThat(call("GET", base, null, otherAdmin).status()).isEqualTo(404);
        assertThat(call("GET", base + "/" + pending, null, otherAdmin).status()).isEqualTo(404);
        assertThat(call("POST", base + "/" + pending + "/resend", null, otherAdmin).status()).isEqualTo(404);
        assertThat(call("DELETE", base + "/" + pending, null, otherAdmin).status()).isEqualTo(404);

        String[] member = TestHttp.bearer(stack, invitee);
        assertThat(call("GET", base, null, member).status()).isEqualTo(403);
        assertThat(call("DELETE", base + "/" + pending, null, member).status()).isEqualTo(403);
        assertThat(call("POST", base, inviteBody("x-" + UUID.randomUUID() + "@partner.example", null), member).status()).isEqualTo(403);

        assertThat(call("GET", base).status()).isEqualTo(401);
        assertThat(call("DELETE", base + "/" + pending).status()).isEqualTo(401);
        assertThat(call("GET", "/me").status()).isEqualTo(401);

        assertThat(call("DELETE", base + "/" + id, null, admin).status()).isEqualTo(409);
    }

    @Test
    void theSameIdempotencyKeyTwiceMakesOneInvitationAndOneEmail() {
        String invitee = "idem-" + UUID.randomUUID() + "@partner.example";
        String key = UUID.randomUUID().toString();
        String body = inviteBody(invitee, null);
        TestHttp.Response first = call("POST", "/orgs/" + orgId + "/invitations", body, admin[0], admin[1], "Idempotency-Key", key);
        TestHttp.Response second = call("POST", "/orgs/" + orgId + "/invitations", body, admin[0], admin[1], "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(second.header("idempotent-replayed")).isEqualTo("true");
        Invitations.tokenFromEmail(stack, invitee);
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), invitee)).hasSize(1);
        assertThat(orgPartition().stream().filter(i -> i.get("sk").s().startsWith("INV#")
                && i.get("emailKey").s().equals(invitee))).hasSize(1);

        TestHttp.Response other = call("POST", "/orgs/" + orgId + "/invitations", inviteBody("else-" + invitee, null),
                admin[0], admin[1], "Idempotency-Key", key);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json()).containsEntry("code", "idempotency_key_reused");
    }

    @Test
    void aBatchInvitesEachOnItsOwn() {
        String good = "batch-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response batch = call("POST", "/orgs/" + orgId + "/invitations/batch", "{\"invitations\":["
                + inviteBody(good, null) + ","
                + "{\"email\":\"bad\\r\\n@partner.example\",\"orgRole\":\"member\"},"
                + "{\"email\":\"t-" + UUID.randomUUID() + "@partner.example\",\"template\":\"reporting\",\"projectIds\":[\"" + projectId + "\"]}"
                + "]}", admin);

        assertThat(batch.status()).as(batch.body()).isEqualTo(207);
        List<Map<String, Object>> results = (List<Map<String, Object>>) batch.json().get("results");
        assertThat(results).extracting(r -> r.get("status")).containsExactly(201, 422, 201);
        assertThat(results.get(1).get("problem")).asString().contains("/email");
        assertThat(results.get(2).get("invitation")).asString().contains("viewer");
        assertThat(call("POST", "/orgs/" + orgId + "/invitations/batch", "{\"invitations\":[" + ",{}".repeat(11).substring(1) + "]}", admin)
                .status()).isEqualTo(422);
    }

    private static String inviteBody(String email, String extra) {
        return "{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                + "\",\"role\":\"analyst\"}],\"note\":{\"engagement\":\"Q4 funnel\",\"justification\":\"Dashboards\"},"
                + "\"accessEndsAt\":\"" + stack.clock().instant().plus(Duration.ofDays(120)) + "\""
                + (extra == null ? "" : "," + extra) + "}";
    }

    /** An API call whose response body is kept for the leak check. */
    private static TestHttp.Response call(String method, String path, String body, String... headers) {
        TestHttp.Response response = TestHttp.send(method, stack.baseUrl() + path, body, headers);
        RESPONSES.add(response.body());
        return response;
    }

    private static TestHttp.Response call(String method, String path) {
        return call(method, path, null);
    }

    /** What a browser does: GET the page, POST its empty form back to the page's own URL. */
    private static HttpResponse<String> browser(String method, String path, String formBody) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.baseUrl() + path)).header("Accept", "text/html");
        if (formBody != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(formBody));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpRequest built = request.build();
        HttpResponse<String> response = BROWSER.send(built, HttpResponse.BodyHandlers.ofString());
        TestHttp.checkContract(method, built.uri(), built.headers().map(),
                formBody == null ? null : formBody.getBytes(StandardCharsets.UTF_8),
                response.statusCode(), response.headers().map(), response.body().getBytes(StandardCharsets.UTF_8));
        RESPONSES.add(response.body());
        return response;
    }

    private static List<Map<String, AttributeValue>> orgPartition() {
        return partition("ORG#" + orgId);
    }

    /** The changes of the invitation's one invitation.resent audit event, as the API lists them. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> resendChanges(String invitationId) {
        Map<String, Object> page = call("GET", "/orgs/" + orgId + "/audit?action=invitation.resent&targetId=" + invitationId, null, admin).json();
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertThat(items).as("invitation.resent events of %s", invitationId).hasSize(1);
        return (Map<String, Object>) items.get(0).get("changes");
    }

    private static List<Map<String, AttributeValue>> audit() {
        // The events, not the chain's head (sk HEAD) beside them.
        return partition("ORG#" + orgId + "#AUDIT").stream().filter(i -> i.get("sk").s().startsWith("AUD#")).toList();
    }

    private static List<Map<String, AttributeValue>> partition(String pk) {
        return dynamo.queryPaginator(QueryRequest.builder().tableName(stack.tableName()).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .build()).items().stream().toList();
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes to two streams: the console and the captured log. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
