package io.tenure.http;

import io.tenure.idempotency.IdempotencyService;
import io.tenure.idempotency.StoredResponse;
import io.tenure.member.Caller;
import io.tenure.id.Hashes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Map;
import java.util.function.Function;

/**
 * Wraps a route so every POST under {@code /orgs} honours {@code Idempotency-Key} (SPEC §3). A
 * replayed response carries {@code Idempotent-Replayed: true}. The key's claim lasts the
 * invocation's remaining time (plus a margin), so a request killed by the Lambda timeout can be
 * retried soon after.
 */
public final class IdempotentPosts {
    private IdempotentPosts() {
    }

    /**
     * @param remaining the invocation's remaining time when the request arrived
     *                  ({@link HttpApiAdapter#remainingTime})
     */
    public static Function<ApiRequest, ApiResponse> wrap(IdempotencyService idempotency, Duration remaining,
                                                         Function<ApiRequest, ApiResponse> route) {
        return request -> {
            String key = idempotencyKey(request).orElse(null);
            if (key == null) {
                return route.apply(request);
            }
            Caller caller = Caller.fromClaims(request.claims());
            String fingerprint = request.routeKey() + "\n" + request.path() + "\n" + (request.body() == null ? "" : request.body());
            boolean[] ran = {false};
            StoredResponse response = idempotency.run(caller.sub(), key, fingerprint, remaining, () -> {
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

    /**
     * An opaque name of this client request, from its caller and {@code Idempotency-Key}, for
     * services that record which request made something (so a retry after a lapsed claim can
     * find it); empty without a key. Never the key itself.
     */
    public static Optional<String> requestKey(ApiRequest request) {
        return idempotencyKey(request).map(key -> Hashes.sha256Hex(Caller.fromClaims(request.claims()).sub() + "\n" + key));
    }

    private static Optional<String> idempotencyKey(ApiRequest request) {
        if (!request.routeKey().startsWith("POST /orgs")) {
            return Optional.empty();
        }
        return request.header("idempotency-key").map(String::trim);
    }
}
