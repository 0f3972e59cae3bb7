package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit trail proves itself (issue 14): after a scripted day of work on one org (invites made
 * at the same moment, accepts, a resend, a revoke, a role change, a removal, the schedules' own
 * events), {@code GET …/audit/verify} finds every event linked; one event altered directly in
 * DynamoDB Local is reported by its id, and nothing else is.
 */
class AuditChainEndToEndTest {
    private final LocalStack stack = SharedStack.get();
    private final String[] admin = TestHttp.bearer(stack, "chain-admin-" + UUID.randomUUID() + "@acme.example");

    @Test
    void theChainHoldsAfterADayOfWorkAndNamesTheOneEventAlteredInTheTable() throws Exception {
        String orgId = ok(201, TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Chain Analytics\",\"settings\":{\"invitesPerDay\":500}}",
                admin)).json().get("id").toString();
        String projectId = ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin))
                .json().get("id").toString();

        // Six invitations at the same moment: six writers on one chain.
        List<String> emails = new ArrayList<>();
        List<String> invitationIds = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<TestHttp.Response>> invites = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String email = "chain-" + i + "-" + UUID.randomUUID() + "@partner.example";
                emails.add(email);
                invites.add(pool.submit(() -> TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                        "{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                                + "\",\"role\":\"analyst\"}]}", admin)));
            }
            for (Future<TestHttp.Response> invite : invites) {
                invitationIds.add(ok(201, invite.get()).json().get("id").toString());
            }
        } finally {
            pool.shutdownNow();
        }
        String first = accept(emails.get(0));
        String second = accept(emails.get(1));
        stack.clock().advance(Duration.ofMinutes(2)); // past the resend cool-down
        ok(200, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + invitationIds.get(2) + "/resend", null, admin));
        ok(204, TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + invitationIds.get(3), null, admin));
        TestHttp.Response member = ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members/" + first, admin));
        ok(200, TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId + "/members/" + first,
                "{\"accessEndsAt\":\"" + stack.clock().instant().plus(Duration.ofDays(90)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        + "\",\"justification\":\"Extended for the storefront work\"}", admin[0], admin[1], "If-Match",
                member.header("etag")));
        ok(204, TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId + "/members/" + second + "?reason=Engagement%20finished",
                null, admin));
        // The schedules write their own events: the invitations still pending get their nudge.
        stack.clock().advance(Duration.ofDays(3).plusHours(1));
        ok(200, TestHttp.post(stack.baseUrl() + "/_local/schedules/RemindersSchedule", null));

        List<Map<String, Object>> events = allEvents(orgId);
        assertThat(events).extracting(e -> e.get("action")).contains("invitation.created", "invitation.accepted", "invitation.resent",
                "invitation.revoked", "member.updated", "member.removed", "invitation.reminded");
        Map<String, Object> holds = ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit/verify", admin)).json();
        assertThat(holds).containsEntry("holds", true).containsEntry("complete", true).containsEntry("unchained", 0)
                .containsEntry("eventsChecked", events.size()).containsEntry("firstSeq", 1).containsEntry("lastSeq", events.size());
        assertThat(events).extracting(e -> ((Number) e.get("seq")).intValue()).doesNotHaveDuplicates();

        // Someone with table access rewrites why a member was removed.
        Map<String, Object> removal = events.stream().filter(e -> "member.removed".equals(e.get("action"))).findFirst().orElseThrow();
        dynamo().updateItem(b -> b.tableName(stack.tableName())
                .key(Map.of("pk", AttributeValue.fromS("ORG#" + orgId + "#AUDIT"), "sk", AttributeValue.fromS("AUD#" + removal.get("id"))))
                .updateExpression("SET note = :note").expressionAttributeValues(Map.of(":note", AttributeValue.fromS("Asked to leave"))));

        Map<String, Object> broken = ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit/verify", admin)).json();
        assertThat(broken).containsEntry("holds", false);
        assertThat((List<Map<String, Object>>) broken.get("breaks")).singleElement().satisfies(b -> {
            assertThat(b).containsEntry("eventId", removal.get("id")).containsEntry("problem", "altered")
                    .containsEntry("seq", removal.get("seq"));
        });
        // The CSV export carries each event's place and hashes.
        TestHttp.Response csv = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit", admin[0], admin[1], "Accept", "text/csv");
        assertThat(csv.body().lines().findFirst().orElseThrow()).endsWith(",seq,prevHash,hash");
        assertThat(csv.body()).contains("\"" + removal.get("hash") + "\"");
    }

    private String accept(String email) {
        return ok(200, TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}")).json().get("id").toString();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> allEvents(String orgId) {
        List<Map<String, Object>> events = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = ok(200, TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor), admin)).json();
            events.addAll((List<Map<String, Object>>) page.get("items"));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return events;
    }

    private DynamoDbClient dynamo() {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(stack.dynamoDbEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    private static TestHttp.Response ok(int status, TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response;
    }
}
