package io.tenure.error;

/** See {@code ProblemMapper} for its status and code. */
public final class InvalidStateException extends TenureException {
    public InvalidStateException(String detail) {
        super(detail);
    }
}
