package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /console-config} through the local stack's gateway: public (no authorizer, any
 * Authorization header ignored), the local sign-in since the local stack sets LocalSignIn, cacheable
 * for five minutes, and the same answer for everyone; and, on a stack started as a deployment, the
 * OpenID Connect settings. Each exchange is checked against openapi.yaml.
 */
class ConsoleConfigEndToEndTest {
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = SharedStack.get();
    }

    @Test
    void anyoneReadsTheLocalSignInWithoutSigningIn() {
        TestHttp.Response answer = TestHttp.get(stack.baseUrl() + "/console-config", "Accept", "application/json");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("content-type")).isEqualTo("application/json");
        assertThat(answer.header("cache-control")).isEqualTo("public, max-age=300");
        assertThat(answer.header("x-request-id")).isNotBlank();
        assertThat(answer.json()).isEqualTo(Map.of("signIn", Map.of("type", "local")));
    }

    /** A token, a broken token or an API key changes nothing: the gateway does not check them here. */
    @Test
    void credentialsAreIgnoredAndTheAnswerIsTheSame() {
        String expected = TestHttp.get(stack.baseUrl() + "/console-config").body();
        for (String[] credentials : new String[][] {
                TestHttp.bearer(stack, "console-config-" + System.nanoTime() + "@acme.example"),
                {"Authorization", "Bearer not-a-jwt"},
                {"Authorization", "Bearer tnr_Zm9vYmFyYmF6cXV4cXV1eHp6eXl4eHd3dnZ1dXR0c3M"}}) {
            TestHttp.Response answer = TestHttp.get(stack.baseUrl() + "/console-config", credentials);
            assertThat(answer.status()).as(credentials[1] + " → " + answer.body()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(expected);
        }
    }

    /**
     * A stack started as a deployment is (LocalSignIn 'false') answers the OpenID Connect settings
     * from the template's parameters: the issuer the JWT authorizer trusts and, with no
     * ConsoleClientId, the first JwtAudience (TemplateModelTest covers a given ConsoleClientId).
     * A stack of its own: about 15 s.
     */
    @Test
    void aDeploymentAnswersTheIssuerAndTheConsolesClient() throws Exception {
        LocalStack.Options deployed = LocalStack.Options.defaults().port(0).sesPort(0).schedules(false)
                .root(ProjectFiles.root()).parameter("LocalSignIn", "false");
        try (LocalStack oidc = LocalStack.start(deployed)) {
            TestHttp.Response answer = TestHttp.get(oidc.baseUrl() + "/console-config");
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json()).isEqualTo(Map.of("signIn", Map.of("type", "oidc", "issuer", oidc.authorizer().issuer(),
                    "clientId", LocalAuthorizer.AUDIENCE, "scopes", "openid email")));
        }
    }

    /** Only GET is a route: anything else is API Gateway's own 404, before any function. */
    @Test
    void otherMethodsAreNoRoute() {
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            TestHttp.Response answer = TestHttp.send(method, stack.baseUrl() + "/console-config", null);
            assertThat(answer.status()).as(method).isEqualTo(404);
            assertThat(answer.body()).isEqualTo("{\"message\":\"Not Found\"}");
        }
    }
}
