package io.tenure.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An invitation's status (SPEC §5). A stored {@code pending} past its expiry reads as {@code expired}.
 * Stored and shown as its JSON name ({@link #json()}), exactly the string it replaced.
 */
public enum InvitationStatus {
    PENDING, ACCEPTED, EXPIRED, REVOKED;

    private static final List<String> JSON_NAMES = Arrays.stream(values()).map(InvitationStatus::json).toList();

    /** The name in JSON, in stored items and in DynamoDB expression values. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of that JSON name; fails for any other text (stored items only hold these). */
    @JsonCreator
    public static InvitationStatus of(String json) {
        return find(json).orElseThrow(() -> new IllegalArgumentException("unknown InvitationStatus: " + json));
    }

    /** The constant of that JSON name, or empty for null or any other text (a caller's input). */
    public static Optional<InvitationStatus> find(String json) {
        return Arrays.stream(values()).filter(v -> v.json().equals(json)).findFirst();
    }

    /** Every JSON name, in declaration order. */
    public static List<String> jsonNames() {
        return JSON_NAMES;
    }

    /** The JSON name, so text built from a constant reads as the string it replaced. */
    @Override
    public String toString() {
        return json();
    }
}
