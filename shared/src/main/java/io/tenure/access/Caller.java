package io.tenure.access;

import io.tenure.error.UnauthenticatedException;
import java.util.Map;

/**
 * The person behind a request, from the JWT claims the HTTP API's authorizer verified (SPEC §2).
 *
 * @param emailKey the lower-cased email, which is how memberships are found
 */
public record Caller(String sub, String email, String emailKey, boolean emailVerified) {

    /** Reads {@code sub}, {@code email} and {@code email_verified}; 401 when sub or email is missing. */
    public static Caller fromClaims(Map<String, String> claims) {
        String sub = claims.get("sub");
        String email = claims.get("email");
        if (sub == null || sub.isBlank() || email == null || email.isBlank()) {
            throw new UnauthenticatedException();
        }
        String trimmed = email.trim();
        // ASCII-only lower-casing: a claim with U+212A (Kelvin sign) must not become another person's key.
        return new Caller(sub, trimmed, io.tenure.value.EmailAddress.key(trimmed), "true".equalsIgnoreCase(claims.get("email_verified")));
    }

    /** Callers acting on their own account must have a verified email. */
    public Caller requireVerified() {
        if (!emailVerified) {
            throw new UnauthenticatedException("The token's email is not verified.");
        }
        return this;
    }
}
