package io.tenure.invitation;

import java.util.Base64;

/**
 * An invitation's secret: 32 random bytes, base64url. Only {@link #hash} is stored; the value
 * travels only in the email link and is never logged or returned (SPEC §5).
 */
public final class InvitationToken {
    private final String value;

    private InvitationToken(String value) {
        this.value = value;
    }

    public static InvitationToken generate() {
        byte[] bytes = new byte[32];
        // Randomness's generator, renewed after a SnapStart restore: never one kept in a static field.
        io.tenure.id.Randomness.secure().nextBytes(bytes);
        return new InvitationToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** The value for the email link, and nothing else. */
    public String value() {
        return value;
    }

    public String hash() {
        return hash(value);
    }

    /** SHA-256 of the token text, lower-case hex. */
    public static String hash(String token) {
        return io.tenure.id.Hashes.sha256Hex(token);
    }

    @Override
    public String toString() {
        return "InvitationToken[redacted]";
    }
}
