package io.tenure.error;

import java.util.List;

/** The body is well-formed but breaks one or more rules; each broken rule names its field. */
public final class ValidationFailedException extends TenureException {
    private final List<FieldError> errors;

    public ValidationFailedException(List<FieldError> errors) {
        super("The request has " + errors.size() + " invalid field(s).");
        this.errors = List.copyOf(errors);
    }

    public static ValidationFailedException of(String pointer, String message) {
        return new ValidationFailedException(List.of(new FieldError(pointer, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
