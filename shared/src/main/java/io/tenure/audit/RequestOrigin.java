package io.tenure.audit;

/** Where a change came from, as recorded in its audit event. */
public record RequestOrigin(String requestId, String sourceIp, String userAgent) {
    /** Only the request id: for events that must not keep the caller's address or agent. */
    public RequestOrigin requestIdOnly() {
        return new RequestOrigin(requestId, null, null);
    }
}
