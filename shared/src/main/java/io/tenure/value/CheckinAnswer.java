package io.tenure.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Optional;

/**
 * The inviter's answer to a 30-day check-in: the access is still needed ({@code keep}), or it is
 * not and the member is removed ({@code remove}). Each answer has its own emailed link.
 */
public enum CheckinAnswer {
    KEEP, REMOVE;

    private static final List<String> JSON_NAMES = JsonNames.all(values());

    /** The name in JSON, in stored items and in DynamoDB expression values. */
    @JsonValue
    public String json() {
        return JsonNames.of(this);
    }

    /** The constant of that JSON name; fails for any other text (stored items only hold these). */
    @JsonCreator
    public static CheckinAnswer of(String json) {
        return JsonNames.of(values(), json, CheckinAnswer.class);
    }

    /** The constant of that JSON name, or empty for null or any other text. */
    public static Optional<CheckinAnswer> find(String json) {
        return JsonNames.find(values(), json);
    }

    /** Every JSON name, in declaration order. */
    public static List<String> jsonNames() {
        return JSON_NAMES;
    }

    @Override
    public String toString() {
        return json();
    }
}
