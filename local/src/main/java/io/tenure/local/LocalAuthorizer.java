package io.tenure.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.util.UUID;

/**
 * The local stand-in for the HTTP API's JWT authorizer. It signs tokens with a key made at start
 * ({@code POST /_local/token}) and accepts only those: a missing token, a bad signature, a wrong
 * issuer or audience, or an expired token is refused, as the real authorizer refuses them. Expiry
 * is checked on real time, so moving the stack clock does not expire tokens.
 */
public final class LocalAuthorizer {
    /** The audience every local token carries. */
    public static final String AUDIENCE = "tenure-local";
    private static final Duration LIFETIME = Duration.ofHours(12);

    private final String issuer;
    private final RSAKey key;
    private final RSASSAVerifier verifier;

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
     * The claims of a valid {@code Authorization} header value, as API Gateway passes them to the
     * function (every value a string), or empty when the real authorizer would answer 401.
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
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = Instant.now();
            boolean valid = issuer.equals(claims.getIssuer())
                    && claims.getAudience() != null && claims.getAudience().contains(AUDIENCE)
                    && claims.getExpirationTime() != null && claims.getExpirationTime().toInstant().isAfter(now)
                    && (claims.getNotBeforeTime() == null || !claims.getNotBeforeTime().toInstant().isAfter(now));
            if (!valid) {
                return Optional.empty();
            }
            return Optional.of(asStrings(claims));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
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
