package io.tenure.id;

import java.util.Base64;

/**
 * The secret of an emailed link (an invitation's accept link, a check-in's answer links): 32
 * random bytes, base64url. Only {@link #hash} is stored; the value travels only in the email and
 * is never logged or returned (SPEC §5).
 */
public final class LinkToken {
    private final String value;

    private LinkToken(String value) {
        this.value = value;
    }

    public static LinkToken generate() {
        byte[] bytes = new byte[32];
        // Randomness's generator, renewed after a SnapStart restore: never one kept in a static field.
        Randomness.secure().nextBytes(bytes);
        return new LinkToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** The value for the email link, and nothing else. */
    public String value() {
        return value;
    }

    public String hash() {
        return hash(value);
    }

    /** SHA-256 of the token text, lower-case hex: what is stored and looked up. */
    public static String hash(String token) {
        return Hashes.sha256Hex(token);
    }

    @Override
    public String toString() {
        return "LinkToken[redacted]";
    }
}
