package io.tenure.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.log.Log;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns an API Gateway HTTP API (payload 2.0) event into an {@link ApiRequest}, runs a route, and
 * turns the result, or the failure, back into the API Gateway response. Every response carries
 * {@code X-Request-Id}; one log line per request names the route and status, never the body.
 */
public final class HttpApiAdapter {
    /** The Timeout of every HTTP function in template.yaml (API Gateway gives up at 30 s). */
    static final Duration HTTP_FUNCTION_TIMEOUT = Duration.ofSeconds(29);

    private HttpApiAdapter() {
    }

    public static APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Function<ApiRequest, ApiResponse> route) {
        long started = System.nanoTime();
        ApiRequest request = toRequest(event);
        // Every line the request writes carries its id, the one X-Request-Id answers with.
        return Log.invocation(request.requestId(), () -> respond(request, route, started));
    }

    private static APIGatewayV2HTTPResponse respond(ApiRequest request, Function<ApiRequest, ApiResponse> route,
                                                    long started) {
        ApiResponse response;
        try {
            response = route.apply(request);
        } catch (RuntimeException failure) {
            response = ProblemMapper.toResponse(failure, request.requestId());
            if (response.status() >= 500) {
                RequestLog.error(request, failure);
            }
        }
        response = response.withHeader("x-request-id", request.requestId());
        RequestLog.info(request, response.status(), (System.nanoTime() - started) / 1_000_000);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    /**
     * The invocation's remaining time now; without a context (tests, tools), the HTTP functions'
     * own timeout.
     */
    public static Duration remainingTime(Context context) {
        return context == null ? HTTP_FUNCTION_TIMEOUT : Duration.ofMillis(Math.max(0, context.getRemainingTimeInMillis()));
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        String requestId = Optional.ofNullable(context).map(c -> c.getRequestId()).orElse(UUID.randomUUID().toString());
        Map<String, String> headers = new LinkedHashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        Map<String, String> claims = Optional.ofNullable(context)
                .map(c -> c.getAuthorizer())
                .map(a -> a.getJwt())
                .map(j -> j.getClaims())
                .orElse(Map.of());
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        var http = context == null ? null : context.getHttp();
        return new ApiRequest(
                event.getRouteKey(),
                event.getRawPath(),
                event.getPathParameters(),
                event.getQueryStringParameters(),
                headers,
                body,
                claims,
                requestId,
                http == null ? null : http.getSourceIp(),
                http == null ? null : http.getUserAgent());
    }
}
