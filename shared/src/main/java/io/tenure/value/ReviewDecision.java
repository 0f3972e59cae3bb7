package io.tenure.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Optional;

/**
 * A reviewer's decision on one member in an access review (issue 14).
 * Stored and shown as its JSON name ({@link #json()}), exactly the string it replaced.
 */
public enum ReviewDecision {
    KEEP, CHANGE, REMOVE;

    private static final List<String> JSON_NAMES = JsonNames.all(values());

    /** The name in JSON, in stored items and in DynamoDB expression values. */
    @JsonValue
    public String json() {
        return JsonNames.of(this);
    }

    /** The constant of that JSON name; fails for any other text (stored items only hold these). */
    @JsonCreator
    public static ReviewDecision of(String json) {
        return JsonNames.of(values(), json, ReviewDecision.class);
    }

    /** The constant of that JSON name, or empty for null or any other text (a caller's input). */
    public static Optional<ReviewDecision> find(String json) {
        return JsonNames.find(values(), json);
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
