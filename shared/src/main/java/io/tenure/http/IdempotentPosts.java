package io.tenure.http;

import io.tenure.idempotency.IdempotencyService;
import io.tenure.idempotency.StoredResponse;
import io.tenure.member.Caller;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Wraps a route so every POST under {@code /orgs} honours {@code Idempotency-Key} (SPEC §3). A
 * replayed response carries {@code Idempotent-Replayed: true}.
 */
public final class IdempotentPosts {
    private IdempotentPosts() {
    }

    public static Function<ApiRequest, ApiResponse> wrap(IdempotencyService idempotency, Function<ApiRequest, ApiResponse> route) {
        return request -> {
            String key = request.header("idempotency-key").orElse(null);
            if (key == null || !request.routeKey().startsWith("POST /orgs")) {
                return route.apply(request);
            }
            Caller caller = Caller.fromClaims(request.claims());
            String fingerprint = request.routeKey() + "\n" + request.path() + "\n" + (request.body() == null ? "" : request.body());
            boolean[] ran = {false};
            StoredResponse response = idempotency.run(caller.sub(), key.trim(), fingerprint, () -> {
                ran[0] = true;
                ApiResponse fresh;
                try {
                    fresh = route.apply(request);
                } catch (io.tenure.error.TenureException expected) {
                    // Expected refusals are answers too, and repeat as such; anything else propagates.
                    fresh = ProblemMapper.toResponse(expected, request.requestId());
                }
                Map<String, String> headers = new LinkedHashMap<>(fresh.headers());
                headers.remove("x-request-id");
                return new StoredResponse(fresh.status(), headers, fresh.body());
            });
            ApiResponse answer = new ApiResponse(response.status(), response.headers(), response.body());
            return ran[0] ? answer : answer.withHeader("idempotent-replayed", "true");
        };
    }
}
