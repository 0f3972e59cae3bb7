package io.tenure.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The local stand-in for the HTTP API's JWT authorizer. It signs tokens with a key made at start
 * ({@code POST /_local/token}) and, when the template's authorizer trusts this stack as its issuer
 * (the local stack's default), accepts those; given another issuer (a real OpenID provider), it
 * checks that provider's tokens with its published keys instead, as API Gateway does. A missing
 * token, a bad signature, a wrong issuer or audience, or an expired token is refused, as the real
 * authorizer refuses them. Expiry is checked on real time, so moving the stack clock does not
 * expire tokens.
 */
public final class LocalAuthorizer {
    /** The audience every local token carries. */
    public static final String AUDIENCE = "tenure-local";
    private static final Duration LIFETIME = Duration.ofHours(12);

    private final String issuer;
    private final RSAKey key;
    private final RSASSAVerifier verifier;
    /** API Gateway's HTTP API quotas: 1,500 ms for the discovery and the key set endpoints, 150,000 bytes of keys. */
    private static final Duration REMOTE_TIMEOUT = Duration.ofMillis(1500);
    private static final int KEY_SET_BYTES = 150_000;
    private static final HttpClient DISCOVERY = HttpClient.newBuilder().connectTimeout(REMOTE_TIMEOUT).build();
    private volatile TemplateModel.JwtTrust trust;
    private ConfigurableJWTProcessor<SecurityContext> remote;

    LocalAuthorizer(String issuer) {
        this.issuer = issuer;
        try {
            this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            this.verifier = new RSASSAVerifier(key.toRSAPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not make the local signing key", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** A token for {@code email}; {@code sub} defaults to a stable id derived from the email. */
    public String token(String email, String sub, boolean emailVerified) {
        return token(email, sub, emailVerified, LIFETIME);
    }

    /** A token that expires after {@code lifetime} (negative: already expired, for tests). */
    public String token(String email, String sub, boolean emailVerified, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(sub == null || sub.isBlank() ? subjectFor(email) : sub)
                .claim("email", email)
                .claim("email_verified", emailVerified)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a local token", e);
        }
    }

    /** A stable subject for an email, like an identity provider's user id. */
    public static String subjectFor(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(email).trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return "local|" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Trusts what the template's JWT authorizer names. When that issuer is this stack's own, the
     * tokens it signs are checked with its key; when it is another (an OpenID provider started for a
     * test, or a real one), its signing keys are found as API Gateway finds them: from the issuer's
     * {@code /.well-known/openid-configuration}, read when the first token arrives.
     */
    void trust(TemplateModel.JwtTrust trust) {
        this.trust = trust;
    }

    /** True when the authorizer trusts this stack's own tokens, so {@code POST /_local/token} is a way in. */
    boolean signsItsOwnTokens() {
        return trust == null || trust.issuer().equals(issuer);
    }

    /** The issuer the authorizer trusts. */
    String trustedIssuer() {
        return trust == null ? issuer : trust.issuer();
    }

    /**
     * The claims of a valid {@code Authorization} header value, as API Gateway passes them to the
     * function (every value a string), or empty when the real authorizer would answer 401: no token,
     * a bad signature, another issuer, an audience (aud, or client_id) not among the trusted ones, or
     * an expired or not yet valid token.
     */
    Optional<Map<String, String>> authorize(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return Optional.empty();
        }
        String token = authorizationHeader.trim();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).trim();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWTClaimsSet claims;
            if (signsItsOwnTokens()) {
                if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                    return Optional.empty();
                }
                claims = jwt.getJWTClaimsSet();
            } else {
                claims = remoteProcessor().process(jwt, null);
            }
            List<String> audiences = trust == null ? List.of(AUDIENCE) : trust.audiences();
            Object clientId = claims.getClaim("client_id");
            Instant now = Instant.now();
            boolean valid = trustedIssuer().equals(claims.getIssuer())
                    && ((claims.getAudience() != null && claims.getAudience().stream().anyMatch(audiences::contains))
                            || (clientId != null && audiences.contains(String.valueOf(clientId))))
                    && claims.getExpirationTime() != null && claims.getExpirationTime().toInstant().isAfter(now)
                    && (claims.getNotBeforeTime() == null || !claims.getNotBeforeTime().toInstant().isAfter(now));
            if (!valid) {
                return Optional.empty();
            }
            return Optional.of(asStrings(claims));
        } catch (IllegalStateException e) {
            // The issuer's discovery or keys could not be read: refused, and said, since a test would otherwise see a bare 401.
            System.out.println("[authorizer] refused a token: " + e.getMessage());
            return Optional.empty();
        } catch (ParseException | JOSEException | BadJOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Checks another issuer's signatures with the keys its discovery document names (RSA only, as
     * API Gateway's JWT authorizer). Built on the first token, so the provider may start after the
     * stack; a provider that does not answer in time refuses the token, and the next one tries again.
     */
    private synchronized ConfigurableJWTProcessor<SecurityContext> remoteProcessor() {
        if (remote != null) {
            return remote;
        }
        String discovery = trust.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
        Map<String, Object> metadata;
        try {
            HttpResponse<String> answer = DISCOVERY.send(HttpRequest.newBuilder(URI.create(discovery)).timeout(REMOTE_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(discovery + " answered " + answer.statusCode());
            }
            metadata = Json.readObject(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException(discovery + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(discovery + " was interrupted", e);
        }
        if (!trust.issuer().equals(metadata.get("issuer")) || !(metadata.get("jwks_uri") instanceof String jwksUri)) {
            throw new IllegalStateException(discovery + " names another issuer, or no jwks_uri");
        }
        int timeout = (int) REMOTE_TIMEOUT.toMillis();
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(URI.create(jwksUri).toURL(), new DefaultResourceRetriever(timeout, timeout, KEY_SET_BYTES))
                    .retrying(false).build();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException("jwks_uri " + jwksUri + " is not a URL", e);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512), keys));
        // The claims are checked in authorize(), the same way for both kinds of issuer.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        remote = processor;
        return remote;
    }

    /** API Gateway gives claims as strings: numbers as text, booleans "true"/"false", lists as "[a b]". */
    private static Map<String, String> asStrings(JWTClaimsSet claims) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> claim : claims.toJSONObject().entrySet()) {
            Object value = claim.getValue();
            String text;
            if (value instanceof List<?> items) {
                text = items.size() == 1 ? String.valueOf(items.get(0))
                        : "[" + String.join(" ", items.stream().map(String::valueOf).toList()) + "]";
            } else {
                text = String.valueOf(value);
            }
            result.put(claim.getKey(), text);
        }
        return result;
    }
}
