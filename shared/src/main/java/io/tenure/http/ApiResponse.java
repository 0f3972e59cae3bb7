package io.tenure.http;

import io.tenure.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response as the services produce it: status, headers and a text body.
 *
 * @param replay what a repeat of this request (same {@code Idempotency-Key}) answers instead,
 *               when this answer holds something shown once (an API key secret); null when a
 *               repeat answers the same. Only the replay is ever stored.
 */
public record ApiResponse(int status, Map<String, String> headers, String body, ApiResponse replay) {

    public ApiResponse(int status, Map<String, String> headers, String body) {
        this(status, headers, body, null);
    }

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, Map.of("content-type", "application/json"), Json.write(value));
    }

    /** An HTML page with the given headers (content type included). */
    public static ApiResponse html(int status, Map<String, String> headers, String page) {
        return new ApiResponse(status, headers, page);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null);
    }

    /** A copy with one more header. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, copy, body, replay);
    }

    /** This answer, with what its repeats answer instead (a secret is never kept for them). */
    public ApiResponse repeatedAs(ApiResponse repeat) {
        return new ApiResponse(status, headers, body, repeat);
    }

    /** What a repeat of this request answers: {@link #replay} if set, else this answer. */
    public ApiResponse forReplay() {
        return replay == null ? this : replay;
    }
}
