package io.tenure.error;

/** The body is larger than the route accepts (413). */
public final class PayloadTooLargeException extends TenureException {
    private static final int STATUS = 413;
    private static final String CODE = "payload_too_large";
    private static final String TITLE = "Payload too large";

    public PayloadTooLargeException() {
        super(STATUS, CODE, TITLE, "The request body is larger than 64 KiB.");
    }

    public PayloadTooLargeException(String detail) {
        super(STATUS, CODE, TITLE, detail);
    }
}
