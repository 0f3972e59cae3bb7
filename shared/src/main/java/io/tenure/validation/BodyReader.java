package io.tenure.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.error.FieldError;
import io.tenure.error.ValidationFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads fields of a JSON request body and collects every broken rule with its JSON pointer, so
 * one 422 names all invalid fields at once.
 */
public final class BodyReader {
    private final ObjectNode body;
    private final List<FieldError> errors = new ArrayList<>();

    public BodyReader(ObjectNode body) {
        this.body = body;
    }

    /** Whether the field is present, even as null (null may mean "clear it"). */
    public boolean has(String field) {
        return body.has(field);
    }

    public JsonNode node(String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** A trimmed string of min..max characters; null when absent and optional. */
    public String text(String field, int min, int max, boolean required) {
        return text(body, "/" + field, field, min, max, required);
    }

    public String text(JsonNode parent, String pointer, String field, int min, int max, boolean required) {
        JsonNode value = parent == null ? null : parent.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                error(pointer, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            error(pointer, "must be a string");
            return null;
        }
        // Checked before trimming: trim() would quietly drop a NUL or line break at either end.
        String control = control(value.asText(), max > MAX_SINGLE_LINE);
        if (control != null) {
            error(pointer, control);
            return null;
        }
        String text = value.asText().trim();
        if (text.length() < min || text.length() > max) {
            error(pointer, min == max ? "must be " + min + " characters" : "must be " + min + " to " + max + " characters");
            return null;
        }
        return text;
    }

    /**
     * Text fields up to this many characters are single-line (names, references): no control
     * character at all. Longer free text (a justification) may keep line breaks and tabs.
     */
    public static final int MAX_SINGLE_LINE = 200;

    /**
     * Why the text is refused for a control character (NUL, line breaks in a name...), or null.
     * Names reach email subjects and headers, so they must not carry them.
     */
    public static String control(String text, boolean multiLine) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.getType(c) == Character.CONTROL && !(multiLine && (c == '\n' || c == '\r' || c == '\t'))) {
                return multiLine ? "must not contain control characters other than line breaks and tabs"
                        : "must not contain control characters or line breaks";
            }
        }
        return null;
    }

    /** A string that must be one of the allowed values; {@code fallback} when absent. */
    public String oneOf(String field, Set<String> allowed, String fallback) {
        JsonNode value = node(field);
        if (value == null) {
            if (fallback == null) {
                error("/" + field, "is required; one of " + String.join(", ", sorted(allowed)));
            }
            return fallback;
        }
        if (!value.isTextual() || !allowed.contains(value.asText())) {
            error("/" + field, "must be one of " + String.join(", ", sorted(allowed)));
            return null;
        }
        return value.asText();
    }

    public Boolean bool(String field, boolean fallback) {
        JsonNode value = node(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            error("/" + field, "must be true or false");
            return fallback;
        }
        return value.asBoolean();
    }

    public Integer integer(String field, int min, int max, Integer fallback) {
        JsonNode value = node(field);
        if (value == null) {
            return fallback;
        }
        // canConvertToLong first: asLong() wraps a number past 2^63 (2^64 + 7 would read as 7)
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            error("/" + field, "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return value.asInt();
    }

    /**
     * Fails when the body has fields other than the components of {@code shape}, the record the
     * body binds to: its known fields cannot drift from the record.
     */
    public void onlyFieldsOf(Class<? extends Record> shape) {
        onlyFields(fieldsOf(shape));
    }

    /** As {@link #onlyFieldsOf(Class)}, for the object at {@code pointer} (a nested object of the body). */
    public void onlyFieldsOf(JsonNode object, String pointer, Class<? extends Record> shape) {
        onlyFields(object, pointer, fieldsOf(shape));
    }

    private static Set<String> fieldsOf(Class<? extends Record> shape) {
        Set<String> known = new java.util.HashSet<>();
        for (java.lang.reflect.RecordComponent component : shape.getRecordComponents()) {
            known.add(component.getName());
        }
        return known;
    }

    /** Fails when the body has fields outside this set, which usually means a typo. */
    public void onlyFields(Set<String> known) {
        onlyFields(body, "", known);
    }

    /** Fails when the object at {@code pointer} has fields outside this set (a nested object of the body). */
    public void onlyFields(JsonNode object, String pointer, Set<String> known) {
        if (object == null || !object.isObject()) {
            return;
        }
        object.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                error(pointer + "/" + name, "is not a known field");
            }
        });
    }

    public void error(String pointer, String message) {
        errors.add(new FieldError(pointer, message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Throws one 422 listing every error so far, if any. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
