package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * Issue 9 item 2 over HTTP: an API key's secret is in its create answer only. A repeat with the
 * same Idempotency-Key answers the key without it, the idempotency item holds no secret, and a
 * caller removed from the org since gets 404 instead of the stored answer.
 */
class SecretsEndToEndTest {
    private static LocalStack stack;
    private static DynamoDbClient dynamo;
    private static String[] owner;
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
        owner = TestHttp.bearer(stack, "owner-" + UUID.randomUUID() + "@acme.example");
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme Secrets\"}", owner);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        orgId = (String) org.json().get("id");
        TestHttp.Response project = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects",
                "{\"name\":\"Web storefront\",\"platform\":\"web\"}", owner);
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        projectId = (String) project.json().get("id");
    }

    @Test
    void aRepeatedKeyCreationAnswersWithoutTheSecretStoresNoneAndAnswers404OnceTheCallerIsRemoved() throws Exception {
        String secondAdminEmail = "second-" + UUID.randomUUID() + "@acme.example";
        String memberId = joinAsAdmin(secondAdminEmail);
        String[] second = TestHttp.bearer(stack, secondAdminEmail);
        String key = "create-key-" + UUID.randomUUID();
        String path = stack.baseUrl() + "/orgs/" + orgId + "/projects/" + projectId + "/api-keys";
        String body = "{\"name\":\"ci\"}";

        TestHttp.Response first = TestHttp.post(path, body, second[0], second[1], "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        String secret = (String) first.json().get("secret");
        assertThat(secret).startsWith("tnr_");

        TestHttp.Response repeat = TestHttp.post(path, body, second[0], second[1], "Idempotency-Key", key);
        assertThat(repeat.status()).as(repeat.body()).isEqualTo(201);
        assertThat(repeat.header("idempotent-replayed")).isEqualTo("true");
        assertThat(repeat.body()).doesNotContain(secret);
        assertThat(repeat.json()).doesNotContainKey("secret")
                .containsEntry("secretWithheld", true)
                .containsEntry("id", first.json().get("id"))
                .containsEntry("prefix", secret.substring(0, 8));

        Map<String, AttributeValue> record = dynamo.getItem(GetItemRequest.builder().tableName(stack.tableName())
                .key(Map.of("pk", AttributeValue.fromS("IDEM#" + sub(second) + "#" + key), "sk", AttributeValue.fromS("IDEM")))
                .consistentRead(true).build()).item();
        assertThat(record).as("the idempotency item").containsKey("response");
        assertThat(record.toString()).doesNotContain(secret).doesNotContain(secret.substring(4));

        TestHttp.Response removed = TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId + "/members/" + memberId + "?reason=x",
                null, owner);
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);

        TestHttp.Response afterRemoval = TestHttp.post(path, body, second[0], second[1], "Idempotency-Key", key);
        assertThat(afterRemoval.status()).as(afterRemoval.body()).isEqualTo(404);
        assertThat(afterRemoval.header("idempotent-replayed")).isNull();
        assertThat(afterRemoval.body()).doesNotContain(secret.substring(0, 8)).doesNotContain((String) first.json().get("id"));
    }

    @Test
    void invitationPostsRepeatedAfterTheCallerIsRemovedAnswer404() {
        String adminEmail = "third-" + UUID.randomUUID() + "@acme.example";
        String memberId = joinAsAdmin(adminEmail);
        String[] third = TestHttp.bearer(stack, adminEmail);
        String invitations = stack.baseUrl() + "/orgs/" + orgId + "/invitations";
        String body = "{\"email\":\"guest-" + UUID.randomUUID() + "@partner.example\",\"orgRole\":\"member\","
                + "\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"viewer\"}]}";
        String inviteKey = "invite-" + UUID.randomUUID();
        TestHttp.Response invite = TestHttp.post(invitations, body, third[0], third[1], "Idempotency-Key", inviteKey);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        String resendUrl = invitations + "/" + invite.json().get("id") + "/resend";
        stack.clock().advance(java.time.Duration.ofMinutes(2));
        String resendKey = "resend-" + UUID.randomUUID();
        TestHttp.Response resend = TestHttp.post(resendUrl, null, third[0], third[1], "Idempotency-Key", resendKey);
        assertThat(resend.status()).as(resend.body()).isEqualTo(200);
        assertThat(TestHttp.post(invitations, body, third[0], third[1], "Idempotency-Key", inviteKey).header("idempotent-replayed"))
                .isEqualTo("true");

        assertThat(TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId + "/members/" + memberId + "?reason=x", null, owner)
                .status()).isEqualTo(204);

        TestHttp.Response inviteAgain = TestHttp.post(invitations, body, third[0], third[1], "Idempotency-Key", inviteKey);
        assertThat(inviteAgain.status()).as(inviteAgain.body()).isEqualTo(404);
        TestHttp.Response resendAgain = TestHttp.post(resendUrl, null, third[0], third[1], "Idempotency-Key", resendKey);
        assertThat(resendAgain.status()).as(resendAgain.body()).isEqualTo(404);
    }

    /** Invites {@code email} as an org admin and accepts; the new member's id. */
    private static String joinAsAdmin(String email) {
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + email
                + "\",\"orgRole\":\"admin\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"manager\"}]}", owner);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        return (String) accepted.json().get("id");
    }

    /** The {@code sub} claim of a bearer token from the local authorizer. */
    private static String sub(String[] bearer) throws Exception {
        String jwt = bearer[1].substring("Bearer ".length());
        byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
        return (String) new ObjectMapper().readValue(new String(payload, StandardCharsets.UTF_8), Map.class).get("sub");
    }
}
