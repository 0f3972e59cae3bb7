package io.tenure.http;

import io.tenure.log.Log;

/**
 * One JSON log line per request. With the request id (from the invocation, {@link Log}) it holds
 * the route, status and duration, and never a body, header, token or claim value (SPEC §11).
 */
final class RequestLog {
    private RequestLog() {
    }

    static void info(ApiRequest request, int status, long millis) {
        Log.info("request", "route", request.routeKey(), "status", status, "durationMs", millis);
    }

    static void error(ApiRequest request, Throwable failure) {
        // The exception type and its origin help debugging; messages can hold data, so they stay out.
        StackTraceElement[] trace = failure.getStackTrace();
        Log.error("request failed", "route", request.routeKey(), "error", failure.getClass().getName(),
                "at", trace.length > 0 ? trace[0].toString() : null);
    }
}
