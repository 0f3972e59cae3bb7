package io.tenure.audit;

/** Where a change came from, as recorded in its audit event. */
public record RequestOrigin(String requestId, String sourceIp, String userAgent) {
}
