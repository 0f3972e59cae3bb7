package io.tenure.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Real-shaped API Gateway HTTP API (payload 2.0) events that HTTP functions prime themselves with
 * before their SnapStart snapshot ({@code runtime.Priming}). Each names a caller who is a member of
 * no org ({@link #CALLER_EMAIL}) and ids that match nothing, so a route answers 401, 404 or an
 * empty list after its reads, and writes, sends and publishes nothing.
 */
public final class SampleRequests {
    /** The priming caller: verified, and at a reserved domain (RFC 2606) that no member can have. */
    public static final String CALLER_EMAIL = "snapstart-priming@tenure.invalid";
    public static final String CALLER_SUB = "snapstart-priming";
    /** An org id of the right shape that no org has (ULIDs are never all zeros). */
    public static final String ORG_ID = "org_00000000000000000000000000";
    public static final String INVITATION_ID = "inv_00000000000000000000000000";
    public static final String MEMBER_ID = "mem_00000000000000000000000000";
    public static final String PROJECT_ID = "prj_00000000000000000000000000";

    private SampleRequests() {
    }

    /**
     * A request as API Gateway passes it to the function.
     *
     * @param routeKey       e.g. {@code GET /orgs/{orgId}}
     * @param path           the request's path, e.g. {@code /orgs/org_000…}
     * @param pathParameters the route's parameters
     * @param query          query parameters (none: empty)
     * @param body           JSON body, or null
     * @param signedIn       whether the JWT authorizer passed the priming caller's claims
     */
    public static APIGatewayV2HTTPEvent request(String routeKey, String path, Map<String, String> pathParameters,
                                                Map<String, String> query, String body, boolean signedIn) {
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accept", "application/json");
        headers.put("host", "snapstart-priming.execute-api.us-east-1.amazonaws.com");
        headers.put("user-agent", "tenure-snapstart-priming");
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(routeKey)
                .withRequestId("snapstart-priming")
                .withStage("$default")
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                        .withSourceIp("127.0.0.1").withUserAgent("tenure-snapstart-priming").build());
        if (signedIn) {
            headers.put("authorization", "Bearer snapstart-priming");
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                            .withClaims(Map.of("sub", CALLER_SUB, "email", CALLER_EMAIL, "email_verified", "true"))
                            .build())
                    .build());
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString(query.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("&")))
                .withHeaders(headers)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(context.build())
                .build();
    }

    /** A signed-in GET with no query. */
    public static APIGatewayV2HTTPEvent get(String routeKey, String path, Map<String, String> pathParameters) {
        return request(routeKey, path, pathParameters, Map.of(), null, true);
    }

    /** A signed-in request with a JSON body. */
    public static APIGatewayV2HTTPEvent send(String routeKey, String path, Map<String, String> pathParameters, String body) {
        return request(routeKey, path, pathParameters, Map.of(), body, true);
    }
}
