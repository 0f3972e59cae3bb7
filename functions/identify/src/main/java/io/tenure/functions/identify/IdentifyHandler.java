package io.tenure.functions.identify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.identity.IdentityService;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import io.tenure.http.SampleRequests;
import java.util.Map;

/**
 * The Heap-compatible identify API (SPEC §8), authenticated by a project API key
 * ({@code Authorization: Bearer <key>}) rather than a user's JWT.
 */
public class IdentifyHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final IdentityService identities;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public IdentifyHandler() {
        this(Services.get().identityService());
        Priming.register("identify", this::prime);
    }

    /** For tests: the service to call. */
    public IdentifyHandler(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, this::route);
    }

    private ApiResponse route(ApiRequest request) {
        String key = request.header("authorization").filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim()).filter(k -> !k.isEmpty()).orElse(null);
        String appId = request.query("app_id").orElse(null);
        switch (request.routeKey()) {
            case "POST /api/v1/identify":
                return ApiResponse.json(200, identities.identify(key, request.jsonObject()));
            case "POST /api/add_user_properties":
                return ApiResponse.json(200, identities.addProperties(key, request.jsonObject()));
            case "GET /api/v1/identity":
                return ApiResponse.json(200, identities.identityOf(key, appId, request.query("user_id").orElse(null)));
            case "GET /api/v1/users":
                return ApiResponse.json(200, identities.user(key, appId, request.query("identity").orElse(null)));
            case "DELETE /api/v1/users":
                identities.erase(key, appId, request.query("identity").orElse(null),
                        request.origin());
                return ApiResponse.noContent();
            default:
                throw new NotFoundException();
        }
    }

    /**
     * The SnapStart priming call, which reads only: an app and key that do not exist, so identify answers 401 after
     * the app's GetItem.
     */
    private void prime() {
        APIGatewayV2HTTPEvent identify = SampleRequests.request("POST /api/v1/identify", "/api/v1/identify", Map.of(), Map.of(),
                "{\"app_id\":\"" + SampleRequests.PROJECT_ID + "\",\"identity\":\"priming@tenure.invalid\",\"user_id\":1}", false);
        identify.getHeaders().put("authorization", "Bearer tnr_snapstart-priming");
        handleRequest(identify, null);
    }
}
