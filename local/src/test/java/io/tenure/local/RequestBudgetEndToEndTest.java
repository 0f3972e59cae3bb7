package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each operation's AWS requests, held to the budgets of issue 13: what the function itself sent to
 * DynamoDB and SES while serving one HTTP request, counted by the SDK interceptor the local stack
 * installs in every function ({@link LocalStack#callsOf}, keyed by the response's
 * {@code apigw-requestid}). Fewer requests is lower latency and lower cost; docs/performance.md
 * turns these counts into capacity units and a monthly bill.
 */
class RequestBudgetEndToEndTest {
    private static LocalStack stack;
    private static String[] admin;
    private static String orgId;
    private static String projectId;
    /** Every operation measured, for the table printed at the end (docs/performance.md quotes it). */
    private static final Map<String, List<String>> MEASURED = new LinkedHashMap<>();

    @BeforeAll
    static void createOrgAndProject() {
        stack = SharedStack.get();
        // A realistic address: the inviter is stored on each invitation (createdBy), so its length counts.
        admin = TestHttp.bearer(stack, "maria.chen" + UUID.randomUUID().toString().substring(0, 6) + "@acme.example");
        orgId = (String) ok(201, TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Budget Analytics\"}", admin)).json().get("id");
        projectId = (String) ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects",
                "{\"name\":\"Web storefront\",\"platform\":\"web\"}", admin)).json().get("id");
    }

    @AfterAll
    static void printTable() {
        StringBuilder table = new StringBuilder("\n[budget] operation | DynamoDB | SES | calls\n");
        MEASURED.forEach((operation, calls) -> table.append("[budget] ").append(operation).append(" | ")
                .append(count(calls, "dynamodb:")).append(" | ").append(count(calls, "ses:")).append(" | ")
                .append(String.join(", ", calls)).append('\n'));
        System.out.println(table);
    }

    /**
     * One BatchGetItem (the caller's guard, the org, the named projects, the address's hold and
     * address book), the transaction, and the delivery record once SES answered.
     */
    @Test
    void inviteMakesAtMostThreeDynamoDbRequestsAndSendsOneEmail() {
        String invitee = "budget-" + UUID.randomUUID() + "@partner.example";
        List<String> calls = measure("invite", ok(201, invite(invitee)));

        assertThat(count(calls, "dynamodb:")).as("DynamoDB requests of an invite: %s", calls).isLessThanOrEqualTo(3);
        assertThat(calls).as("the reads before the write are one request").startsWith("dynamodb:BatchGetItem", "dynamodb:TransactWriteItems");
        assertThat(count(calls, "ses:")).as("SES requests of an invite: %s", calls).isEqualTo(1);
    }

    @Test
    void acceptMakesAtMostThreeDynamoDbRequests() {
        String invitee = "budget-accept-" + UUID.randomUUID() + "@partner.example";
        ok(201, invite(invitee));
        String token = Invitations.tokenFromEmail(stack, invitee);
        List<String> calls = measure("accept", ok(200,
                TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + token + "\"}")));

        assertThat(count(calls, "dynamodb:")).as("DynamoDB requests of an accept: %s", calls).isLessThanOrEqualTo(3);
    }

    /**
     * One BatchGetItem (the guard, the org with its project directory, the invitation), the
     * transaction, and the delivery record.
     */
    @Test
    void resendMakesAtMostThreeDynamoDbRequestsAndSendsOneEmail() {
        String invitee = "budget-resend-" + UUID.randomUUID() + "@partner.example";
        String invitationId = (String) ok(201, invite(invitee)).json().get("id");
        stack.clock().advance(java.time.Duration.ofMinutes(2)); // past the resend cool-down
        List<String> calls = measure("resend", ok(200, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId
                + "/invitations/" + invitationId + "/resend", null, admin)));

        assertThat(count(calls, "dynamodb:")).as("DynamoDB requests of a resend: %s", calls).isLessThanOrEqualTo(3);
        assertThat(calls).as("the reads before the write are one request").startsWith("dynamodb:BatchGetItem", "dynamodb:TransactWriteItems");
        assertThat(count(calls, "ses:")).as("SES requests of a resend: %s", calls).isEqualTo(1);
    }

    /**
     * A corrected address (issue 15): one BatchGetItem (the guard, the org, the invitation, the
     * org's known domains and the new address's book), the transaction, and the delivery record.
     */
    @Test
    void anAddressCorrectionMakesAtMostThreeDynamoDbRequestsAndSendsOneEmail() {
        String invitee = "budget-fix-" + UUID.randomUUID() + "@partnr.example";
        Map<String, Object> invitation = ok(201, invite(invitee)).json();
        List<String> calls = measure("correct address", ok(200, TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId
                + "/invitations/" + invitation.get("id"), "{\"email\":\"" + invitee.replace("partnr", "partner")
                + "\",\"justification\":\"typo\"}", admin[0], admin[1], "If-Match", "\"" + invitation.get("version") + "\"")));

        assertThat(count(calls, "dynamodb:")).as("DynamoDB requests of a correction: %s", calls).isLessThanOrEqualTo(3);
        assertThat(calls).as("the reads before the write are one request").startsWith("dynamodb:BatchGetItem", "dynamodb:TransactWriteItems");
        assertThat(count(calls, "ses:")).as("SES requests of a correction: %s", calls).isEqualTo(1);
    }

    @Test
    void revokeMakesAtMostTwoDynamoDbRequests() {
        String invitee = "budget-revoke-" + UUID.randomUUID() + "@partner.example";
        String invitationId = (String) ok(201, invite(invitee)).json().get("id");
        List<String> calls = measure("revoke", TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId
                + "/invitations/" + invitationId, null, admin));

        assertThat(count(calls, "dynamodb:")).as("DynamoDB requests of a revoke: %s", calls).isLessThanOrEqualTo(2);
    }

    /**
     * An instance reads an app's settings once and keeps them for a while (its first identify of an
     * app makes one GetItem more); after that, one BatchGetItem and one transaction.
     */
    @Test
    void identifyMakesAtMostTwoDynamoDbRequests() {
        String key = (String) ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects/" + projectId
                + "/api-keys", "{\"name\":\"server\"}", admin)).json().get("secret");
        String first = "{\"app_id\":\"" + projectId + "\",\"identity\":\"budget-" + UUID.randomUUID() + "\",\"user_id\":41}";
        List<String> cold = measure("identify (first of the app in this instance)", ok(200,
                TestHttp.post(stack.baseUrl() + "/api/v1/identify", first, "Authorization", "Bearer " + key)));
        assertThat(count(cold, "dynamodb:")).as("the first identify of an app: %s", cold).isLessThanOrEqualTo(3);
        String body = "{\"app_id\":\"" + projectId + "\",\"identity\":\"budget-" + UUID.randomUUID() + "\",\"user_id\":42}";
        List<String> calls = measure("identify", ok(200, TestHttp.post(stack.baseUrl() + "/api/v1/identify", body,
                "Authorization", "Bearer " + key)));

        assertThat(count(calls, "dynamodb:")).as("DynamoDB requests of an identify: %s", calls).isLessThanOrEqualTo(2);
    }

    @Test
    void eachGetRouteMakesAtMostTwoDynamoDbRequests() {
        String invitee = "budget-get-" + UUID.randomUUID() + "@partner.example";
        String invitationId = (String) ok(201, invite(invitee)).json().get("id");
        String base = stack.baseUrl();
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("GET /me", base + "/me");
        routes.put("GET /orgs/{orgId}", base + "/orgs/" + orgId);
        routes.put("GET /orgs/{orgId}/projects", base + "/orgs/" + orgId + "/projects");
        routes.put("GET /orgs/{orgId}/invitations", base + "/orgs/" + orgId + "/invitations");
        routes.put("GET /orgs/{orgId}/invitations/{invitationId}", base + "/orgs/" + orgId + "/invitations/" + invitationId);
        routes.put("GET /orgs/{orgId}/members", base + "/orgs/" + orgId + "/members");
        routes.put("GET /orgs/{orgId}/members/duplicates", base + "/orgs/" + orgId + "/members/duplicates");
        routes.put("GET /orgs/{orgId}/audit", base + "/orgs/" + orgId + "/audit");
        List<String> over = new ArrayList<>();
        routes.forEach((route, url) -> {
            List<String> calls = measure(route, ok(200, TestHttp.get(url, admin)));
            if (count(calls, "dynamodb:") > 2) {
                over.add(route + ": " + calls);
            }
        });
        assertThat(over).as("GET routes over 2 DynamoDB requests").isEmpty();
    }

    /**
     * The items every lifecycle step rewrites (the invitation, the member) stay under 1 KB for a
     * typical invitation, so each write of one costs one write unit: a realistic address, a note
     * with an engagement, a reference and a one-line justification, an end date, a stakeholder and
     * two projects. Longer notes cost more (a 1,000-character justification adds a unit):
     * docs/performance.md, Capacity model.
     */
    @Test
    void hotItemsStayUnderOneKilobyte() {
        String second = (String) ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects",
                "{\"name\":\"iOS app\",\"platform\":\"ios\"}", admin)).json().get("id");
        String invitee = "ana.lopez" + UUID.randomUUID().toString().substring(0, 6) + "@partner-agency.example";
        // Three months on the stack's clock (other tests move it), a whole day: as long as any end date's text.
        String accessEnd = stack.clock().instant().plus(java.time.Duration.ofDays(90)).truncatedTo(java.time.temporal.ChronoUnit.DAYS).toString();
        String body = "{\"email\":\"" + invitee + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                + "\",\"role\":\"analyst\"},{\"projectId\":\"" + second + "\",\"role\":\"manager\"}],"
                + "\"note\":{\"engagement\":\"Q4 funnel analysis\",\"reference\":\"PO-2026-0142\","
                + "\"justification\":\"Builds the Q4 conversion dashboards\"},"
                + "\"accessEndsAt\":\"" + accessEnd + "\",\"stakeholders\":[\"pm-lead@acme.example\"]}";
        String invitationId = (String) ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", body, admin))
                .json().get("id");
        String token = Invitations.tokenFromEmail(stack, invitee);
        String memberId = (String) ok(200, TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + token + "\"}"))
                .json().get("id");

        try (software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .endpointOverride(java.net.URI.create(stack.dynamoDbEndpoint()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .build()) {
            Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> invitationItem = item(dynamo, "INV#" + invitationId);
            Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> memberItem = item(dynamo, "MEM#" + memberId);
            int invitation = ItemSize.bytes(invitationItem);
            int member = ItemSize.bytes(memberItem);
            MEASURED.put("item bytes: invitation " + invitation + ", member " + member, List.of());
            assertThat(invitation).as("the accepted invitation's item, in bytes: %s", ItemSize.breakdown(invitationItem)).isLessThan(1024);
            assertThat(member).as("the member's item, in bytes: %s", ItemSize.breakdown(memberItem)).isLessThan(1024);
        }
    }

    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item(
            software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo, String sk) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = dynamo.getItem(r -> r.tableName(stack.tableName())
                .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ORG#" + orgId),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(sk)))).item();
        assertThat(item).as("item %s", sk).isNotEmpty();
        return item;
    }

    private static TestHttp.Response invite(String invitee) {
        return TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + invitee + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                        + "\",\"role\":\"analyst\"}],\"note\":{\"engagement\":\"Q4 funnel\",\"justification\":\"Dashboards\"}}",
                admin);
    }

    /** The calls behind one response, kept for the table. */
    private static List<String> measure(String operation, TestHttp.Response response) {
        String id = response.header("apigw-requestid");
        assertThat(id).as("the HTTP API's request id on every response").isNotBlank();
        List<String> calls = stack.callsOf(id);
        MEASURED.put(operation, calls);
        return calls;
    }

    private static long count(List<String> calls, String servicePrefix) {
        return calls.stream().filter(c -> c.startsWith(servicePrefix)).count();
    }

    private static TestHttp.Response ok(int status, TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response;
    }
}
