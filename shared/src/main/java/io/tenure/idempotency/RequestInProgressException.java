package io.tenure.idempotency;

import io.tenure.error.TenureException;

/** A request with this Idempotency-Key is still being processed. */
public final class RequestInProgressException extends TenureException {
    public RequestInProgressException() {
        super("A request with this Idempotency-Key is still in progress. Retry in a moment to get its response.");
    }
}
