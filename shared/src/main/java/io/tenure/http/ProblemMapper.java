package io.tenure.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.error.ServiceUnavailableException;
import io.tenure.error.TenureException;
import io.tenure.json.Json;
import io.tenure.runtime.SdkClients;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that turns failures into {@code application/problem+json} (SPEC §4), from what each
 * {@link TenureException} carries: its status, code, title, headers and extension members. Unexpected
 * failures become a bare 500 that names only the request id: no stack trace, message or class name.
 * A dependency that could not be reached or was briefly unable to answer (see
 * {@link SdkClients#unavailable}) is a 503 with {@code Retry-After}: the request may succeed later.
 */
public final class ProblemMapper {
    public static final String CONTENT_TYPE = "application/problem+json";
    /** How long a caller should wait before retrying a request that met an unavailable dependency. */
    public static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

    private ProblemMapper() {
    }

    public static ApiResponse toResponse(Throwable failure, String requestId) {
        TenureException known = expected(failure);
        if (known == null) {
            return problem(500, "internal_error", "Internal error",
                    "The request failed. Quote request id " + requestId + " when reporting it.", Map.of(), Map.of());
        }
        // SPEC §4: a 5xx gives the request id.
        String detail = known.status() >= 500 ? known.getMessage() + " Request id " + requestId + "." : known.getMessage();
        return problem(known.status(), known.code(), known.title(), detail, known.extensions(), known.headers());
    }

    /**
     * The expected failure {@code failure} is, counting an unavailable dependency as
     * {@link ServiceUnavailableException}; null for anything else (a bug: the bare 500).
     */
    public static TenureException expected(Throwable failure) {
        if (failure instanceof TenureException known) {
            return known;
        }
        return SdkClients.unavailable(failure) ? new ServiceUnavailableException(UNAVAILABLE_RETRY_AFTER_SECONDS) : null;
    }

    private static ApiResponse problem(int status, String code, String title, String detail,
                                       Map<String, Object> extensions, Map<String, String> headers) {
        ObjectNode body = Json.object();
        body.put("type", "urn:tenure:problem:" + code);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        extensions.forEach((name, value) -> body.set(name, Json.MAPPER.valueToTree(value)));
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("content-type", CONTENT_TYPE);
        return new ApiResponse(status, all, Json.write(body));
    }
}
