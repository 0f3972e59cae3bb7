package io.tenure.error;

import java.util.List;

/** The body is well-formed but breaks one or more rules; each broken rule names its field. */
public final class ValidationFailedException extends TenureException {
    private static final int STATUS = 422;
    private static final String CODE = "validation_failed";
    private static final String TITLE = "Validation failed";

    private final List<FieldError> errors;

    public ValidationFailedException(List<FieldError> errors) {
        super(STATUS, CODE, TITLE, "The request has " + errors.size() + " invalid field(s).");
        this.errors = List.copyOf(errors);
    }

    public static ValidationFailedException of(String pointer, String message) {
        return new ValidationFailedException(List.of(new FieldError(pointer, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** {@code errors}: each field's JSON pointer and message, in order. */
    @Override
    public java.util.Map<String, Object> extensions() {
        return java.util.Map.of("errors", errors.stream()
                .map(e -> {
                    java.util.Map<String, String> error = new java.util.LinkedHashMap<>();
                    error.put("pointer", e.pointer());
                    error.put("message", e.message());
                    return error;
                })
                .toList());
    }
}
