package io.tenure.error;

/**
 * Base of every expected failure. Each subtype is one domain case; {@code io.tenure.http.ProblemMapper}
 * alone decides its HTTP status and problem code. The message is the problem's {@code detail} and is
 * written for the caller, so it never holds internals.
 */
public abstract class TenureException extends RuntimeException {
    protected TenureException(String detail) {
        super(detail, null, false, false);
    }
}
