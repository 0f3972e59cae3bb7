package io.tenure.error;

/** Too many requests; the caller may retry after {@link #retryAfterSeconds()}. */
public final class RateLimitedException extends TenureException {
    private final long retryAfterSeconds;

    public RateLimitedException(String detail, long retryAfterSeconds) {
        super(detail);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
