package io.tenure.idempotency;

import io.tenure.error.TenureException;

/** The same Idempotency-Key came with another request (SPEC §3: 422). */
public final class IdempotencyKeyReusedException extends TenureException {
    public IdempotencyKeyReusedException() {
        super("This Idempotency-Key was already used with a different request. Use a new key for a new request.");
    }
}
