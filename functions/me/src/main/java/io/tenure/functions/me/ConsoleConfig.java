package io.tenure.functions.me;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the admin console reads before anyone signs in, {@code GET /console-config}: how to sign in.
 * It comes from the function's environment, which template.yaml fills from JwtIssuer,
 * ConsoleClientId (else the first JwtAudience) and LocalSignIn, so the console's build holds no
 * deployment's settings.
 */
final class ConsoleConfig {
    /** Browsers (and CloudFront, were it to cache the route) may keep it five minutes. */
    static final String CACHE_CONTROL = "public, max-age=300";
    /** What the console asks the identity provider for: the ID token with the claims Tenure reads. */
    static final String SCOPES = "openid email";

    private ConsoleConfig() {
    }

    /**
     * The answer's JSON object: {@code {"signIn":{"type":"local"}}} in the local stack, else
     * {@code {"signIn":{"type":"oidc","issuer":…,"clientId":…,"scopes":"openid email"}}}.
     *
     * @throws IllegalStateException when the environment is not what template.yaml sets (a
     *     deployment fault: the route answers 500 and says nothing of it)
     */
    static Map<String, Object> answer(Map<String, String> environment) {
        String type = environment.get("CONSOLE_SIGN_IN");
        Map<String, Object> signIn = new LinkedHashMap<>();
        if ("local".equals(type)) {
            signIn.put("type", "local");
        } else if ("oidc".equals(type)) {
            signIn.put("type", "oidc");
            signIn.put("issuer", required(environment, "CONSOLE_OIDC_ISSUER"));
            signIn.put("clientId", required(environment, "CONSOLE_OIDC_CLIENT_ID"));
            signIn.put("scopes", SCOPES);
        } else {
            throw new IllegalStateException("CONSOLE_SIGN_IN is " + (type == null ? "not set" : "'" + type + "'")
                    + "; template.yaml sets it to oidc or local");
        }
        return Map.of("signIn", signIn);
    }

    private static String required(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is empty; template.yaml sets it for OpenID Connect sign-in");
        }
        return value.trim();
    }
}
