package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * 1,000 generated identify and add_user_properties calls, valid and invalid mixed, through the
 * local stack: none may fail with a 5xx, and every refusal is problem+json that, for a 422, names
 * the field.
 */
class IdentifyPropertyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static LocalStack stack;
    private static String appId;
    private static String key;

    private static synchronized void setUp() {
        if (stack != null) {
            return;
        }
        stack = SharedStack.get();
        String[] admin = TestHttp.bearer(stack, "prop-admin-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Property Co\"}", admin).json().get("id");
        appId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin).json().get("id");
        key = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects/" + appId + "/api-keys", "{\"name\":\"k\"}", admin)
                .json().get("secret");
    }

    @Property(tries = 1000)
    void noCallFailsWithA5xxAndEveryRefusalNamesItsField(@ForAll("calls") Map.Entry<String, String> call) throws Exception {
        setUp();
        // Each /api route takes 100 requests a second (IdentifyRateLimit): 10 ms of clock a call keeps
        // this test within it however fast the machine, as a real client has to be.
        stack.clock().advance(java.time.Duration.ofMillis(10));
        String body = call.getValue().replace("$APP", appId);
        TestHttp.Response response = TestHttp.post(stack.baseUrl() + call.getKey(), body, "Authorization", "Bearer " + key);

        assertThat(response.status()).as(body + " → " + response.body()).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.header("content-type")).isEqualTo("application/problem+json");
            Map<String, Object> problem = response.json();
            assertThat(problem).containsKeys("type", "title", "status", "detail", "code");
            if (response.status() == 422) {
                assertThat((List<?>) problem.get("errors")).as(body).isNotEmpty()
                        .allSatisfy(e -> assertThat(String.valueOf(((Map<?, ?>) e).get("pointer"))).matches("|/.*"));
            }
        }
    }

    @Provide
    Arbitrary<Map.Entry<String, String>> calls() {
        Arbitrary<String> identities = Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(40).alpha().numeric().withChars("@._-+ "),
                Arbitraries.of("", " ", "undefined", "null", "user", "USER", "x".repeat(256), "ünïcødé@example.com", "a\u0000b"));
        Arbitrary<Object> userIds = Arbitraries.oneOf(
                Arbitraries.longs().between(0, (1L << 53) - 1).map(v -> (Object) v),
                Arbitraries.of(-1L, 1L << 53, Long.MAX_VALUE, 1.5, "123", "abc", true).map(v -> (Object) v));
        Arbitrary<Map<String, Object>> properties = Arbitraries.maps(
                Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20), Arbitraries.of("id", "ID", "User_Id", "", "k".repeat(513))),
                Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30).map(v -> (Object) v), Arbitraries.integers().map(v -> (Object) v),
                        Arbitraries.of("v".repeat(1024), true, List.of(1)).map(v -> (Object) v))).ofMaxSize(6);
        Arbitrary<Map.Entry<String, String>> identify = Combinators.combine(identities, userIds, Arbitraries.of(true, true, true, false))
                .as((identity, userId, withApp) -> {
                    ObjectNode body = MAPPER.createObjectNode();
                    if (withApp) {
                        body.put("app_id", "$APP");
                    }
                    body.put("identity", identity);
                    body.set("user_id", MAPPER.valueToTree(userId));
                    return Map.entry("/api/v1/identify", body.toString());
                });
        Arbitrary<Map.Entry<String, String>> props = Combinators.combine(identities, properties)
                .as((identity, map) -> {
                    ObjectNode body = MAPPER.createObjectNode();
                    body.put("app_id", "$APP");
                    body.put("identity", identity);
                    body.set("properties", MAPPER.valueToTree(map));
                    return Map.entry("/api/add_user_properties", body.toString());
                });
        Arbitrary<Map.Entry<String, String>> broken = Arbitraries.of(
                Map.entry("/api/v1/identify", "{\"app_id\":"),
                Map.entry("/api/v1/identify", "[]"),
                Map.entry("/api/add_user_properties", "{\"app_id\":\"$APP\",\"identity\":\"x\",\"properties\":[1]}"),
                Map.entry("/api/v1/identify", "{\"app_id\":\"prj_other\",\"identity\":\"x\",\"user_id\":1}"));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, identify),
                net.jqwik.api.Tuple.of(4, props),
                net.jqwik.api.Tuple.of(1, broken));
    }
}
