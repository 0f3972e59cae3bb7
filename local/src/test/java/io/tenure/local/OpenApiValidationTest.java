package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract check every end-to-end exchange goes through finds what breaks openapi.yaml, and only that. */
class OpenApiValidationTest {
    private static final Map<String, List<String>> JSON = Map.of("content-type", List.of("application/json"));
    private static final String ME = "{\"sub\":\"local|a3e1\",\"email\":\"ana@partner.example\",\"memberships\":[]}";

    private static List<String> check(String method, String url, String requestBody, int status, String responseBody,
                                      Map<String, List<String>> responseHeaders) {
        return OpenApiValidation.get().check(new OpenApiValidation.Exchange(method, URI.create(url), JSON,
                requestBody == null ? null : requestBody.getBytes(StandardCharsets.UTF_8), status, responseHeaders,
                responseBody.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, List<String>> json(String contentType) {
        return Map.of("Content-Type", List.of(contentType), "X-Request-Id", List.of("f3b2"));
    }

    @Test
    void anAnswerAsDocumentedPasses() {
        assertThat(check("GET", "http://127.0.0.1:3000/me", null, 200, ME, json("application/json; charset=utf-8")))
                .isEmpty();
    }

    @Test
    void anAnswerMissingARequiredFieldFails() {
        assertThat(check("GET", "http://127.0.0.1:3000/me", null, 200, "{\"sub\":\"local|a3e1\",\"memberships\":[]}",
                json("application/json"))).singleElement().asString().startsWith("response 200").contains("email");
    }

    @Test
    void anAnswerWithAnUndocumentedFieldFails() {
        String extra = ME.replace("}", ",\"debug\":\"table dump\"}");
        assertThat(check("GET", "http://127.0.0.1:3000/me", null, 200, extra, json("application/json"))).hasSize(1);
    }

    @Test
    void anUndocumentedStatusOrMediaTypeFails() {
        assertThat(check("GET", "http://127.0.0.1:3000/me", null, 418, ME, json("application/json"))).hasSize(1);
        assertThat(check("GET", "http://127.0.0.1:3000/me", null, 200, ME, json("text/plain"))).hasSize(1);
    }

    @Test
    void aRequestOutsideTheContractMustBeRefused() {
        String noName = "{\"nickname\":\"Acme\"}";
        String problem = "{\"type\":\"urn:tenure:problem:validation_failed\",\"title\":\"Unprocessable\",\"status\":422,"
                + "\"code\":\"validation_failed\",\"detail\":\"name is required\","
                + "\"errors\":[{\"pointer\":\"/name\",\"message\":\"is required\"}]}";
        List<String> acted = check("POST", "http://127.0.0.1:3000/orgs", noName, 201, "{}", json("application/json"));
        assertThat(acted).anySatisfy(p -> assertThat(p).startsWith("request outside the contract"));
        List<String> refused = check("POST", "http://127.0.0.1:3000/orgs", noName, 422, problem,
                json("application/problem+json"));
        assertThat(refused).isEmpty();
    }

    @Test
    void aBatchItemThatBreaksTheRulesIsTheContractsToo() {
        // SPEC: each invitation of a batch succeeds or fails alone, so the batch is answered 207.
        String results = "{\"results\":[{\"index\":0,\"status\":422,\"problem\":{\"type\":\"urn:tenure:problem:validation_failed\","
                + "\"title\":\"Validation failed\",\"status\":422,\"detail\":\"1 invalid field\",\"code\":\"validation_failed\","
                + "\"errors\":[{\"pointer\":\"/email\",\"message\":\"must be an address\"}]}}]}";
        for (String item : List.of("{\"email\":\"\",\"orgRole\":\"member\"}", "{\"email\":\"x\"}", "[]", "\"\"", "{}")) {
            assertThat(check("POST", "http://127.0.0.1:3000/orgs/org_1/invitations/batch", "{\"invitations\":[" + item + "]}",
                    207, results, json("application/json"))).as(item).isEmpty();
        }
    }

    @Test
    void anEmptyEmailIsOutsideTheContract() {
        String problem = "{\"type\":\"urn:tenure:problem:validation_failed\",\"title\":\"Unprocessable\",\"status\":422,"
                + "\"code\":\"validation_failed\",\"detail\":\"email\",\"errors\":[{\"pointer\":\"/email\",\"message\":\"bad\"}]}";
        for (String email : List.of("", "no-at-sign")) {
            assertThat(check("POST", "http://127.0.0.1:3000/orgs/org_1/invitations", "{\"email\":\"" + email + "\",\"orgRole\":\"admin\"}",
                    201, "{}", json("application/json"))).as(email).anySatisfy(p -> assertThat(p).startsWith("request outside the contract"));
            assertThat(check("POST", "http://127.0.0.1:3000/orgs/org_1/invitations", "{\"email\":\"" + email + "\",\"orgRole\":\"admin\"}",
                    422, problem, json("application/problem+json"))).as(email).isEmpty();
        }
    }

    @Test
    void aNullFieldOrAnEmptyQueryParameterIsLeftOutAsTheConventionsSay() {
        String org = "{\"id\":\"org_01M88YE3E7Z6RRXYWWCPYQH8Q1\",\"name\":\"Acme\",\"slug\":\"acme\",\"settings\":{},"
                + "\"createdAt\":\"2026-11-25T08:51:24Z\",\"updatedAt\":\"2026-11-25T08:51:24Z\",\"version\":1}";
        List<String> nullSlug = check("POST", "http://127.0.0.1:3000/orgs", "{\"name\":\"Acme\",\"slug\":null}", 201, org,
                json("application/json"));
        assertThat(nullSlug).noneSatisfy(p -> assertThat(p).startsWith("request outside the contract"));
        List<String> numberSlug = check("POST", "http://127.0.0.1:3000/orgs", "{\"name\":\"Acme\",\"slug\":7}", 201, org,
                json("application/json"));
        assertThat(numberSlug).anySatisfy(p -> assertThat(p).startsWith("request outside the contract"));
        assertThat(check("GET", "http://127.0.0.1:3000/me?unused=", null, 200, ME, json("application/json"))).isEmpty();
    }

    @Test
    void exchangesWithNoOperationAreNotTheContracts() {
        assertThat(check("POST", "http://127.0.0.1:3000/_local/token", "{}", 200, "{\"token\":\"x\"}", json("application/json")))
                .isEmpty();
    }
}
