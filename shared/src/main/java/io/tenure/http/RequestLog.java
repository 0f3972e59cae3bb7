package io.tenure.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;

/**
 * One JSON log line per request. It holds the request id, route, status and duration, and never a
 * body, header, token or claim value (SPEC §11).
 */
final class RequestLog {
    private RequestLog() {
    }

    static void info(ApiRequest request, int status, long millis) {
        ObjectNode line = base("INFO", request);
        line.put("status", status);
        line.put("durationMs", millis);
        System.out.println(Json.write(line));
    }

    static void error(ApiRequest request, Throwable failure) {
        ObjectNode line = base("ERROR", request);
        // The exception type and its origin help debugging; messages can hold data, so they stay out.
        line.put("error", failure.getClass().getName());
        StackTraceElement[] trace = failure.getStackTrace();
        if (trace.length > 0) {
            line.put("at", trace[0].toString());
        }
        System.out.println(Json.write(line));
    }

    private static ObjectNode base(String level, ApiRequest request) {
        ObjectNode line = Json.object();
        line.put("level", level);
        line.put("requestId", request.requestId());
        line.put("route", request.routeKey());
        return line;
    }
}
