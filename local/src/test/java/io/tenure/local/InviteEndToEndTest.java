package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The walking skeleton end to end, over real HTTP through the local stack: DynamoDB Local, the SES
 * emulator and each function's own jar.
 */
class InviteEndToEndTest {
    private static LocalStack stack;
    private static DynamoDbClient dynamo;
    private static String[] admin;
    private static String orgId;
    private static String projectId;

    @BeforeAll
    static void createOrgAndProject() {
        stack = SharedStack.get();
        dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create(stack.dynamoDbEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        admin = TestHttp.bearer(stack, "admin-" + UUID.randomUUID() + "@acme.example");
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme Analytics\"}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        orgId = (String) org.json().get("id");
        TestHttp.Response project = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects",
                "{\"name\":\"Web storefront\",\"platform\":\"web\"}", admin);
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        projectId = (String) project.json().get("id");
    }

    @Test
    void anInvitationEmailArrivesWithAWorkingAcceptLinkWhoseHashIsStored() throws Exception {
        String invitee = "ana-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response invite = invite(invitee);

        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        Map<String, Object> invitation = invite.json();
        assertThat(invitation.get("status")).isEqualTo("pending");
        assertThat(invitation).doesNotContainKeys("token", "tokenHash");
        assertThat(invite.header("x-request-id")).isNotBlank();

        Map<String, Object> email = SesMailbox.awaitEmailTo(stack.sesUrl(), invitee, Duration.ofSeconds(10));
        assertThat(String.valueOf(email.get("subject"))).contains("Acme Analytics");
        Matcher link = Pattern.compile(Pattern.quote(stack.baseUrl()) + "/invitations/accept\\?token=([A-Za-z0-9_-]{43})")
                .matcher(SesMailbox.text(email));
        assertThat(link.find()).as("accept link in the email").isTrue();
        String token = link.group(1);

        Map<String, AttributeValue> tokenItem = dynamo.getItem(GetItemRequest.builder().tableName(stack.tableName())
                .key(Map.of("pk", AttributeValue.fromS("TOKEN#" + sha256(token)), "sk", AttributeValue.fromS("TOKEN")))
                .build()).item();
        assertThat(tokenItem.get("invitationId").s()).isEqualTo(invitation.get("id"));
        assertThat(invite.body()).doesNotContain(token).doesNotContain(sha256(token));
        assertThat(orgItems().toString()).doesNotContain(token);
    }

    @Test
    void twoRacingInvitesOfOneAddressMakeOneInvitationAndOne409() throws Exception {
        String invitee = "race-" + UUID.randomUUID() + "@partner.example";
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<TestHttp.Response>> racers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return invite(invitee);
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        TestHttp.Response conflict = null;
        for (CompletableFuture<TestHttp.Response> racer : racers) {
            TestHttp.Response response = racer.get();
            statuses.add(response.status());
            if (response.status() == 409) {
                conflict = response;
            }
        }

        assertThat(statuses).containsExactlyInAnyOrder(201, 409);
        assertThat(conflict.json()).containsEntry("code", "invitation_pending").containsKey("invitationId");
        assertThat(orgItems().stream().filter(i -> i.get("sk").s().startsWith("INV#"))
                .filter(i -> i.get("emailKey").s().equals(invitee))).hasSize(1);
    }

    @Test
    void anInviteWhileTheSesEmulatorIsDownIsStoredAsFailedAndAnswers201WithAWarning() {
        String invitee = "down-" + UUID.randomUUID() + "@partner.example";
        stack.ses().stop();
        TestHttp.Response invite;
        try {
            invite = invite(invitee);
        } finally {
            stack.ses().start();
        }

        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        assertThat(invite.body()).contains("\"email_not_sent\"");
        assertThat(invite.json().get("delivery")).asString().contains("failed");
        Map<String, AttributeValue> stored = orgItems().stream()
                .filter(i -> i.get("sk").s().equals("INV#" + invite.json().get("id"))).findFirst().orElseThrow();
        assertThat(stored.get("delivery").m().get("status").s()).isEqualTo("failed");
        assertThat(stored.get("delivery").m().get("error").s()).isNotBlank();
    }

    @Test
    void eachBadBodyGetsAProblemNamingTheFieldAndWritesNothing() {
        TestHttp.Response archived = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects",
                "{\"name\":\"Old app\"}", admin);
        String archivedId = (String) archived.json().get("id");
        TestHttp.Response archive = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId + "/projects/" + archivedId,
                "{\"archived\":true}", admin);
        assertThat(archive.status()).as(archive.body()).isEqualTo(200);
        int before = orgItems().size() + auditItems().size();

        expectProblem(body("x@partner.example", "prj_01UNKNOWN", "analyst"), 422, "/projects/0/projectId");
        expectProblem(body("x@partner.example", archivedId, "analyst"), 422, "/projects/0/projectId");
        expectProblem(body("x@partner.example", projectId, "owner"), 422, "/projects/0/role");
        expectProblem(body("x@partner.example\\r\\nBcc: y@evil.example", projectId, "analyst"), 422, "/email");
        expectProblem("{\"email\": \"x@partner.example\", ", 400, null);
        expectProblem("{\"email\":\"x@partner.example\",\"note\":{\"justification\":\"" + "j".repeat(70 * 1024) + "\"}}", 413, null);

        assertThat(orgItems().size() + auditItems().size()).isEqualTo(before);
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), "x@partner.example")).isEmpty();
    }

    @Test
    void otherOrgsAndUnauthenticatedCallersSeeNothing() {
        String[] stranger = TestHttp.bearer(stack, "stranger-" + UUID.randomUUID() + "@other.example");
        TestHttp.Response notFound = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                body("y@partner.example", projectId, "analyst"), stranger);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("content-type")).isEqualTo("application/problem+json");
        assertThat(TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                body("y@partner.example", projectId, "analyst")).status()).isEqualTo(401);
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId, stranger).status()).isEqualTo(404);
    }

    private static void expectProblem(String body, int status, String pointer) {
        TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", body, admin);
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("content-type")).isEqualTo("application/problem+json");
        Map<String, Object> problem = response.json();
        assertThat(problem).containsKeys("type", "title", "status", "detail", "code");
        if (pointer != null) {
            assertThat(problem.get("errors")).asString().contains("pointer=" + pointer);
        }
    }

    private static TestHttp.Response invite(String email) {
        return TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", body(email, projectId, "analyst"), admin);
    }

    private static String body(String email, String project, String role) {
        return "{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + project
                + "\",\"role\":\"" + role + "\"}],\"note\":{\"engagement\":\"Q4 funnel\",\"justification\":\"Builds dashboards\"},"
                + "\"accessEndsAt\":\"" + stack.clock().instant().plus(Duration.ofDays(90)) + "\"}";
    }

    private static List<Map<String, AttributeValue>> orgItems() {
        return partition("ORG#" + orgId);
    }

    private static List<Map<String, AttributeValue>> auditItems() {
        // The events, not the chain's head (sk HEAD) beside them.
        return partition("ORG#" + orgId + "#AUDIT").stream().filter(i -> i.get("sk").s().startsWith("AUD#")).toList();
    }

    private static List<Map<String, AttributeValue>> partition(String pk) {
        return dynamo.queryPaginator(QueryRequest.builder().tableName(stack.tableName())
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .consistentRead(true).build()).items().stream().toList();
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
