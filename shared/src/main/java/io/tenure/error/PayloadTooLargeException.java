package io.tenure.error;

/** See {@code ProblemMapper} for its status and code. */
public final class PayloadTooLargeException extends TenureException {
    public PayloadTooLargeException() {
        super("The request body is larger than 64 KiB.");
    }

    public PayloadTooLargeException(String detail) {
        super(detail);
    }
}
