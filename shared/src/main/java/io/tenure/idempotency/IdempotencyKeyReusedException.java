package io.tenure.idempotency;

import io.tenure.error.TenureException;

/** The same Idempotency-Key came with another request (SPEC §3: 422). */
public final class IdempotencyKeyReusedException extends TenureException {
    private static final int STATUS = 422;
    private static final String CODE = "idempotency_key_reused";
    private static final String TITLE = "Idempotency key reused";

    public IdempotencyKeyReusedException() {
        super(STATUS, CODE, TITLE, "This Idempotency-Key was already used with a different request. Use a new key for a new request.");
    }
}
