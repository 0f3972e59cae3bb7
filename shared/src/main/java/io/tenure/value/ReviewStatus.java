package io.tenure.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Optional;

/**
 * A review campaign's status (issue 14): open until every item is decided or its end date, then closed.
 * Stored and shown as its JSON name ({@link #json()}), exactly the string it replaced.
 */
public enum ReviewStatus {
    OPEN, CLOSED;

    private static final List<String> JSON_NAMES = JsonNames.all(values());

    /** The name in JSON, in stored items and in DynamoDB expression values. */
    @JsonValue
    public String json() {
        return JsonNames.of(this);
    }

    /** The constant of that JSON name; fails for any other text (stored items only hold these). */
    @JsonCreator
    public static ReviewStatus of(String json) {
        return JsonNames.of(values(), json, ReviewStatus.class);
    }

    /** The constant of that JSON name, or empty for null or any other text (a caller's input). */
    public static Optional<ReviewStatus> find(String json) {
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
