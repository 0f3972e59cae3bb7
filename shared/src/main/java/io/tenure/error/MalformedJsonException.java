package io.tenure.error;

/** See {@code ProblemMapper} for its status and code. */
public final class MalformedJsonException extends TenureException {
    public MalformedJsonException() {
        super("The request body is not valid JSON.");
    }

    public MalformedJsonException(String detail) {
        super(detail);
    }
}
