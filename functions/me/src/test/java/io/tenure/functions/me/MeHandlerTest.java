package io.tenure.functions.me;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /console-config}: the console's sign-in settings from the function's environment, with no caller. */
class MeHandlerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> OIDC = Map.of(
            "CONSOLE_SIGN_IN", "oidc",
            "CONSOLE_OIDC_ISSUER", "https://tenant.auth0.example/",
            "CONSOLE_OIDC_CLIENT_ID", "console-client");

    @Test
    void oidcSettingsComeFromTheEnvironment() throws Exception {
        APIGatewayV2HTTPResponse response = consoleConfig(OIDC);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getHeaders())
                .containsEntry("content-type", "application/json")
                .containsEntry("cache-control", "public, max-age=300")
                .containsKey("x-request-id");
        assertThat(MAPPER.readTree(response.getBody())).isEqualTo(MAPPER.readTree("""
                {"signIn":{"type":"oidc","issuer":"https://tenant.auth0.example/","clientId":"console-client","scopes":"openid email"}}
                """));
    }

    @Test
    void theLocalStackSignsInLocallyAndNamesNoIssuer() throws Exception {
        Map<String, String> local = new HashMap<>(OIDC);
        local.put("CONSOLE_SIGN_IN", "local");

        APIGatewayV2HTTPResponse response = consoleConfig(local);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(response.getBody())).isEqualTo(MAPPER.readTree("{\"signIn\":{\"type\":\"local\"}}"));
    }

    /** A deployment fault answers a plain 500 problem, and never echoes the environment. */
    @Test
    void aMissingOrUnknownSettingIsAFaultOfThisRouteOnly() throws Exception {
        Map<String, String> noClient = new HashMap<>(OIDC);
        noClient.put("CONSOLE_OIDC_CLIENT_ID", " ");
        for (Map<String, String> environment : java.util.List.of(Map.<String, String>of(), Map.of("CONSOLE_SIGN_IN", "saml"), noClient)) {
            APIGatewayV2HTTPResponse response = consoleConfig(environment);
            assertThat(response.getStatusCode()).as(environment.toString()).isEqualTo(500);
            assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
            JsonNode problem = MAPPER.readTree(response.getBody());
            assertThat(problem.path("code").asText()).isEqualTo("internal_error");
            assertThat(response.getBody()).doesNotContain("CONSOLE_").doesNotContain("saml").doesNotContain("tenant.auth0");
        }
    }

    @Test
    void anotherRouteKeyIsNotFound() {
        APIGatewayV2HTTPEvent event = event("GET /console-configs");
        APIGatewayV2HTTPResponse response = new MeHandler(null, () -> OIDC).handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(404);
    }

    private static APIGatewayV2HTTPResponse consoleConfig(Map<String, String> environment) {
        // No member service: the route must not need one (nor any claims).
        return new MeHandler(null, () -> environment).handleRequest(event("GET /console-config"), null);
    }

    private static APIGatewayV2HTTPEvent event(String routeKey) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(routeKey.substring(routeKey.indexOf(' ') + 1))
                .withHeaders(Map.of("accept", "application/json"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("req-console-config")
                        .withRouteKey(routeKey)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("GET").withPath(routeKey.substring(routeKey.indexOf(' ') + 1))
                                .withSourceIp("203.0.113.10").withUserAgent("test").build())
                        .build())
                .withIsBase64Encoded(false)
                .build();
    }
}
