package io.tenure.error;

/** See {@code ProblemMapper} for its status and code. */
public final class UnauthenticatedException extends TenureException {
    public UnauthenticatedException() {
        super("A valid bearer token with a verified email is required.");
    }

    public UnauthenticatedException(String detail) {
        super(detail);
    }
}
