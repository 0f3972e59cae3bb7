package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The identify API end to end: keys per project, limits, hashing, erasure, keyless clients. */
class IdentifyEndToEndTest {
    private static LocalStack stack;
    private static String[] admin;
    private static String orgId;
    private static String appA;
    private static String appB;
    private static String keyA;

    @BeforeAll
    static void createApps() {
        stack = SharedStack.get();
        admin = TestHttp.bearer(stack, "identify-admin-" + UUID.randomUUID() + "@acme.example");
        orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Identify Co\"}", admin).json().get("id");
        appA = project("Web");
        appB = project("iOS");
        TestHttp.Response key = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects/" + appA + "/api-keys", "{\"name\":\"server\"}", admin);
        assertThat(key.status()).isEqualTo(201);
        keyA = (String) key.json().get("secret");
        assertThat(keyA).startsWith((String) key.json().get("prefix"));
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/projects", admin).body()).doesNotContain(keyA);
    }

    @Test
    void theEleventhUserIdAndThe31stCallAreRefusedUntilTimeMovesOn() {
        String identity = "limits-" + UUID.randomUUID();
        for (int i = 1; i <= 10; i++) {
            assertThat(identify(keyA, appA, identity, 1000 + i).status()).isEqualTo(200);
        }
        TestHttp.Response eleventh = identify(keyA, appA, identity, 1011);
        assertThat(eleventh.status()).isEqualTo(429);
        assertThat(eleventh.header("retry-after")).isNotBlank();
        TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"advance\":\"P31D\"}");
        assertThat(identify(keyA, appA, identity, 1011).status()).isEqualTo(200);

        // Start at the beginning of a 30-second window, so the 31 calls all fall in one.
        long now = stack.clock().instant().getEpochSecond();
        TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"set\":\"" + java.time.Instant.ofEpochSecond(now - now % 30 + 30) + "\"}");
        String busy = "busy-" + UUID.randomUUID();
        int refused = 0;
        for (int i = 0; i < 31; i++) {
            refused += identify(keyA, appA, busy, 77).status() == 429 ? 1 : 0;
        }
        assertThat(refused).isEqualTo(1);
        TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"advance\":\"PT31S\"}");
        assertThat(identify(keyA, appA, busy, 77).status()).isEqualTo(200);
    }

    @Test
    void aKeyOfProjectAOnProjectBIsRefusedAndLookupsNeedAKey() {
        // The same 401 as a missing or wrong key: nothing tells a key's holder that appB exists.
        assertThat(identify(keyA, appB, "x-" + UUID.randomUUID(), 1).status()).isEqualTo(401);
        assertThat(identify(null, appA, "x", 1).status()).isEqualTo(401);
        assertThat(identify("tnr_not-a-key", appA, "x", 1).status()).isEqualTo(401);
        assertThat(TestHttp.get(stack.baseUrl() + "/api/v1/identity?app_id=" + appA + "&user_id=1").status()).isEqualTo(401);
    }

    @Test
    void withHashingOnTheRawIdentityAppearsInNoTableItem() {
        String hashedApp = project("Hashed");
        TestHttp.Response on = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId + "/projects/" + hashedApp,
                "{\"settings\":{\"identityHashing\":\"hmac-sha256\"}}", admin);
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        String key = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects/" + hashedApp + "/api-keys",
                "{\"name\":\"k\"}", admin).json().get("secret");
        String raw = "Very.Private+" + UUID.randomUUID() + "@example.com";

        TestHttp.Response identified = identify(key, hashedApp, raw, 4242);
        assertThat(identified.status()).as(identified.body()).isEqualTo(200);
        assertThat((String) identified.json().get("identity")).startsWith("h1:");
        TestHttp.post(stack.baseUrl() + "/api/add_user_properties", "{\"app_id\":\"" + hashedApp + "\",\"identity\":\"" + raw
                + "\",\"properties\":{\"plan\":\"pro\"}}", "Authorization", "Bearer " + key);
        TestHttp.Response user = TestHttp.get(stack.baseUrl() + "/api/v1/users?app_id=" + hashedApp + "&identity="
                + java.net.URLEncoder.encode(raw, java.nio.charset.StandardCharsets.UTF_8), "Authorization", "Bearer " + key);
        assertThat(user.status()).isEqualTo(200);
        assertThat(user.body()).contains("pro").doesNotContain(raw);

        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create(stack.dynamoDbEndpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            // A test may look at every raw item; the product never scans.
            String everything = dynamo.scanPaginator(ScanRequest.builder().tableName(stack.tableName()).build()).items().toString();
            assertThat(everything).doesNotContain(raw).doesNotContain(raw.toLowerCase());
        }
    }

    @Test
    void anErasedUserIsNotFoundAfterwards() {
        String identity = "erase-" + UUID.randomUUID();
        identify(keyA, appA, identity, 555_001);
        assertThat(lookup("identity?app_id=" + appA + "&user_id=555001").status()).isEqualTo(200);

        TestHttp.Response erased = TestHttp.send("DELETE", stack.baseUrl() + "/api/v1/users?app_id=" + appA + "&identity=" + identity,
                null, "Authorization", "Bearer " + keyA);
        assertThat(erased.status()).isEqualTo(204);
        assertThat(lookup("identity?app_id=" + appA + "&user_id=555001").status()).isEqualTo(404);
        assertThat(lookup("users?app_id=" + appA + "&identity=" + identity).status()).isEqualTo(404);
    }

    @Test
    void keylessIdentifyWorksOnlyWhenTheProjectAllowsIt() {
        String keyless = project("Heap server");
        assertThat(identify(null, keyless, "k-" + UUID.randomUUID(), 9).status()).isEqualTo(401);
        TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId + "/projects/" + keyless, "{\"settings\":{\"keylessIdentify\":true}}", admin);
        TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"advance\":\"PT2M\"}"); // settings are cached for a minute
        assertThat(identify(null, keyless, "k-" + UUID.randomUUID(), 9).status()).isEqualTo(200);
        assertThat(TestHttp.get(stack.baseUrl() + "/api/v1/identity?app_id=" + keyless + "&user_id=9").status()).isEqualTo(401);
    }

    private static String project(String name) {
        TestHttp.Response project = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"" + name + "\"}", admin);
        assertThat(project.status()).isEqualTo(201);
        return (String) project.json().get("id");
    }

    private static TestHttp.Response identify(String key, String app, String identity, long userId) {
        String body = "{\"app_id\":\"" + app + "\",\"identity\":\"" + identity + "\",\"user_id\":" + userId + "}";
        return key == null ? TestHttp.post(stack.baseUrl() + "/api/v1/identify", body)
                : TestHttp.post(stack.baseUrl() + "/api/v1/identify", body, "Authorization", "Bearer " + key);
    }

    private static TestHttp.Response lookup(String pathAndQuery) {
        return TestHttp.get(stack.baseUrl() + "/api/v1/" + pathAndQuery, "Authorization", "Bearer " + keyA);
    }

}
