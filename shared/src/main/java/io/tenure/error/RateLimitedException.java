package io.tenure.error;

/** Too many requests; the caller may retry after {@link #retryAfterSeconds()}. */
public final class RateLimitedException extends TenureException {
    private static final int STATUS = 429;
    private static final String CODE = "rate_limited";
    private static final String TITLE = "Rate limited";

    private final long retryAfterSeconds;

    public RateLimitedException(String detail, long retryAfterSeconds) {
        super(STATUS, CODE, TITLE, detail);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** A daily limit reached: the caller may retry at the next midnight UTC after {@code now}. */
    public static RateLimitedException untilUtcMidnight(String detail, java.time.Instant now) {
        java.time.Instant midnight = java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC).plusDays(1)
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        return new RateLimitedException(detail, java.time.Duration.between(now, midnight).toSeconds());
    }

    @Override
    public java.util.Map<String, String> headers() {
        return java.util.Map.of("retry-after", Long.toString(retryAfterSeconds));
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
