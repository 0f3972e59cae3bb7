package io.tenure.invitation;

/**
 * An invitation's secret, a {@link io.tenure.id.LinkToken}. Only {@link #hash} is stored; the
 * value travels only in the email link and is never logged or returned (SPEC §5).
 */
public final class InvitationToken {
    private final String value;

    private InvitationToken(String value) {
        this.value = value;
    }

    public static InvitationToken generate() {
        return new InvitationToken(io.tenure.id.LinkToken.generate().value());
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
        return io.tenure.id.LinkToken.hash(token);
    }

    @Override
    public String toString() {
        return "InvitationToken[redacted]";
    }
}
