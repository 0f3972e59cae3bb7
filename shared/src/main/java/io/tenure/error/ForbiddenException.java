package io.tenure.error;

/** See {@code ProblemMapper} for its status and code. */
public final class ForbiddenException extends TenureException {
    public ForbiddenException() {
        super("This action needs the organization admin role.");
    }

    public ForbiddenException(String detail) {
        super(detail);
    }
}
