package io.tenure.idempotency;

import io.tenure.error.TenureException;

/** A request with this Idempotency-Key is still being processed. */
public final class RequestInProgressException extends TenureException {
    private static final int STATUS = 409;
    private static final String CODE = "request_in_progress";
    private static final String TITLE = "Request in progress";

    public RequestInProgressException() {
        super(STATUS, CODE, TITLE, "A request with this Idempotency-Key is still in progress. Retry in a moment to get its response.");
    }

    /** The first request is still running: a retry in a second may get its answer. */
    @Override
    public java.util.Map<String, String> headers() {
        return java.util.Map.of("retry-after", "1");
    }
}
