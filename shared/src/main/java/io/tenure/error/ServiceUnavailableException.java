package io.tenure.error;

/**
 * A service Tenure depends on (DynamoDB) could not be reached or was briefly unable to answer, so
 * the request could not be done now; the caller may retry after {@link #retryAfterSeconds()}.
 * Whatever part of the request was written was written whole (one transaction per change), and a
 * retry with the same Idempotency-Key completes it.
 */
public final class ServiceUnavailableException extends TenureException {
    private static final int STATUS = 503;
    private static final String CODE = "service_unavailable";
    private static final String TITLE = "Service unavailable";

    private final long retryAfterSeconds;

    public ServiceUnavailableException(long retryAfterSeconds) {
        super(STATUS, CODE, TITLE, "A service Tenure depends on did not answer, so the request could not be done now. Retry it"
                + " (with the same Idempotency-Key) after " + Math.max(1, retryAfterSeconds) + " s.");
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public java.util.Map<String, String> headers() {
        return java.util.Map.of("retry-after", Long.toString(retryAfterSeconds));
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
