package io.tenure.http;

import io.tenure.idempotency.IdempotencyService;
import io.tenure.idempotency.StoredResponse;
import io.tenure.access.Caller;
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
 *
 * <p>A repeat is answered only after the route's access check passes again: a caller removed
 * from the org since gets that check's refusal (404), not the stored answer. A stored answer
 * never holds a secret: a route that shows one gives its repeats another answer
 * ({@link ApiResponse#repeatedAs}).
 */
public final class IdempotentPosts {
    private IdempotentPosts() {
    }

    /** Who may make a request: throws the route's refusal (404, 403) when the caller may not. */
    @FunctionalInterface
    public interface Authorization {
        void check(ApiRequest request);
    }

    /**
     * @param remaining  the invocation's remaining time when the request arrived
     *                   ({@link HttpApiAdapter#remainingTime})
     * @param authorized the route's own access check, run before a keyed request is looked up,
     *                   so a repeat is answered only to a caller still allowed to make it
     */
    public static Function<ApiRequest, ApiResponse> wrap(IdempotencyService idempotency, Duration remaining,
                                                         Authorization authorized, Function<ApiRequest, ApiResponse> route) {
        return request -> {
            String key = idempotencyKey(request).orElse(null);
            if (key == null) {
                return route.apply(request);
            }
            // Before the record is read: a stored answer (or even its existence) is not for a
            // caller who lost access since the first request.
            authorized.check(request);
            Caller caller = request.caller();
            String fingerprint = request.routeKey() + "\n" + request.path() + "\n" + (request.body() == null ? "" : request.body());
            ApiResponse[] answered = {null};
            StoredResponse response = idempotency.run(caller.sub(), key, fingerprint, remaining, () -> {
                ApiResponse fresh;
                try {
                    fresh = route.apply(request);
                } catch (io.tenure.error.TenureException expected) {
                    // Expected refusals are answers too, and repeat as such; anything else propagates.
                    fresh = ProblemMapper.toResponse(expected, request.requestId());
                }
                answered[0] = fresh;
                // Only what a repeat may see is kept: never a secret shown once.
                ApiResponse kept = fresh.forReplay();
                Map<String, String> headers = new LinkedHashMap<>(kept.headers());
                headers.remove("x-request-id");
                return new StoredResponse(kept.status(), headers, kept.body());
            });
            if (answered[0] != null) {
                return answered[0];
            }
            return new ApiResponse(response.status(), response.headers(), response.body()).withHeader("idempotent-replayed", "true");
        };
    }

    /**
     * An opaque name of this client request, from its caller and {@code Idempotency-Key}, for
     * services that record which request made something (so a retry after a lapsed claim can
     * find it); empty without a key. Never the key itself.
     */
    public static Optional<String> requestKey(ApiRequest request) {
        return idempotencyKey(request).map(key -> Hashes.sha256Hex(request.caller().sub() + "\n" + key));
    }

    private static Optional<String> idempotencyKey(ApiRequest request) {
        if (!request.routeKey().startsWith("POST /orgs")) {
            return Optional.empty();
        }
        return request.header("idempotency-key").map(String::trim);
    }
}
