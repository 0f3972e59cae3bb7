package io.tenure.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A member's status: active until removed (by an admin, or when the access ends).
 * Stored and shown as its JSON name ({@link #json()}), exactly the string it replaced.
 */
public enum MemberStatus {
    ACTIVE, REMOVED;

    private static final List<String> JSON_NAMES = Arrays.stream(values()).map(MemberStatus::json).toList();

    /** The name in JSON, in stored items and in DynamoDB expression values. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of that JSON name; fails for any other text (stored items only hold these). */
    @JsonCreator
    public static MemberStatus of(String json) {
        return find(json).orElseThrow(() -> new IllegalArgumentException("unknown MemberStatus: " + json));
    }

    /** The constant of that JSON name, or empty for null or any other text (a caller's input). */
    public static Optional<MemberStatus> find(String json) {
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
