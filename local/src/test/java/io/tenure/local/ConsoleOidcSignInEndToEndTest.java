package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's OpenID Connect sign-in, as a deployment runs it: a stack of its own started as
 * template.yaml is deployed (LocalSignIn 'false', JwtIssuer a real OpenID provider, JwtAudience the
 * console's client id), and panva's oidc-provider, started by the browser script at that issuer. The
 * stack's JWT authorizer then checks the provider's ID tokens with its published keys and refuses
 * its own. A stack of its own: about 20 s, plus the browser run.
 */
class ConsoleOidcSignInEndToEndTest {
    private static final String CLIENT_ID = "tenure-console-e2e";
    private static LocalStack stack;
    private static String issuer;

    @BeforeAll
    static void start() throws Exception {
        BrowserScripts.requireTools(true);
        // The provider listens only once the browser script runs; the authorizer reads its keys on the first token.
        issuer = "http://127.0.0.1:" + FreePort.find();
        stack = LocalStack.start(LocalStack.Options.defaults().port(0).sesPort(0).schedules(false).root(ProjectFiles.root())
                .parameter("LocalSignIn", "false").parameter("JwtIssuer", issuer).parameter("JwtAudience", CLIENT_ID));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theConsoleIsToldToSignInAtTheIssuerTheAuthorizerTrusts() {
        TestHttp.Response config = TestHttp.get(stack.baseUrl() + "/console-config");
        assertThat(config.status()).as(config.body()).isEqualTo(200);
        assertThat(config.json()).isEqualTo(Map.of("signIn", Map.of("type", "oidc", "issuer", issuer, "clientId", CLIENT_ID,
                "scopes", "openid email")));
        // The console may call the provider (discovery, token), as CloudFront's headers policy allows in AWS.
        TestHttp.Response page = TestHttp.get(stack.baseUrl() + "/console/");
        assertThat(page.header("content-security-policy")).contains("connect-src 'self' " + issuer + ";");
    }

    /** The stack's own tokens are not the provider's: minting one is refused, and one signed anyway is a 401. */
    @Test
    void theStacksOwnTokensAreNoWayIn() {
        TestHttp.Response mint = TestHttp.post(stack.baseUrl() + "/_local/token", "{\"email\":\"someone@console.example\"}");
        assertThat(mint.status()).isEqualTo(409);
        assertThat(mint.body()).contains(issuer);
        String own = stack.authorizer().token("someone@console.example", null, true);
        assertThat(TestHttp.get(stack.baseUrl() + "/me", "Authorization", "Bearer " + own).status()).isEqualTo(401);
    }

    /**
     * In Chromium: the OIDC sign-in screen (axe-checked), a provider answer the console did not ask
     * for refused with its reason, Sign in by keyboard to the provider with a S256 code challenge,
     * the provider's login and consent, back signed in with the code gone from the address, an org
     * created with the ID token, sign-out and sign-in again returning to the page left, and a forged
     * token refused.
     */
    @Test
    void anAdminSignsInAtTheProviderAndUsesTheApiInChromium() {
        ToolRun run = BrowserScripts.run("console-e2e", List.of("e2e/oidc.e2e.mjs"),
                Map.of("TENURE_URL", stack.baseUrl(), "OIDC_ISSUER", issuer, "OIDC_CLIENT_ID", CLIENT_ID), Duration.ofMinutes(3));
        BrowserScripts.assertPassed(run, "e2e/oidc.e2e.mjs");
    }
}
