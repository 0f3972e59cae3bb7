package io.tenure.functions.requests;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.access.Caller;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.http.IdempotentPosts;
import io.tenure.http.ListParameters;
import io.tenure.http.SampleRequests;
import io.tenure.idempotency.IdempotencyService;
import io.tenure.invitation.InvitationRequestService;
import io.tenure.json.Json;
import io.tenure.runtime.Priming;
import io.tenure.runtime.Services;
import java.util.Map;

/**
 * Invitation requests (issue 14): members ask ({@code POST /orgs/{orgId}/invitation-requests}, 201),
 * admins list and read them, approve ({@code …/{requestId}/approve}: the last approval needed
 * sends the invitation) or deny ({@code …/{requestId}/deny}).
 */
public class RequestsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final InvitationRequestService requests;
    private final IdempotencyService idempotency;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public RequestsHandler() {
        this(Services.get().invitationRequestService(), Services.get().idempotency());
        Priming.register("requests", this::prime);
    }

    /** For tests: the services to call. */
    public RequestsHandler(InvitationRequestService requests, IdempotencyService idempotency) {
        this.requests = requests;
        this.idempotency = idempotency;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, IdempotentPosts.wrap(idempotency, HttpApiAdapter.remainingTime(context),
                // A repeat is answered only to a member of the org still, and a decision's only to an admin still.
                request -> {
                    if (request.routeKey().endsWith("/approve") || request.routeKey().endsWith("/deny")) {
                        requests.requireAdmin(request.caller(), request.pathParameter("orgId"));
                    } else {
                        requests.requireMember(request.caller(), request.pathParameter("orgId"));
                    }
                },
                this::route));
    }

    private ApiResponse route(ApiRequest request) {
        Caller caller = request.caller();
        RequestOrigin origin = request.origin();
        String orgId = request.pathParameter("orgId");
        switch (request.routeKey()) {
            case "POST /orgs/{orgId}/invitation-requests":
                return ApiResponse.json(201, requests.file(caller, orgId, request.jsonObject(), origin));
            case "GET /orgs/{orgId}/invitation-requests": {
                ListParameters list = ListParameters.from(request);
                return ApiResponse.json(200, requests.list(caller, orgId, request.query("status").orElse(null), list.limit(), list.cursor()));
            }
            case "GET /orgs/{orgId}/invitation-requests/{requestId}":
                return ApiResponse.json(200, requests.get(caller, orgId, request.pathParameter("requestId")));
            case "POST /orgs/{orgId}/invitation-requests/{requestId}/approve": {
                InvitationRequestService.Decision decision = requests.approve(caller, orgId, request.pathParameter("requestId"),
                        body(request), origin);
                ObjectNode answer = Json.tree(decision.request());
                if (decision.invitation() != null) {
                    answer.set("invitation", Json.tree(decision.invitation()));
                    answer.set("warnings", Json.MAPPER.valueToTree(decision.warnings()));
                }
                return ApiResponse.json(200, answer);
            }
            case "POST /orgs/{orgId}/invitation-requests/{requestId}/deny":
                return ApiResponse.json(200, requests.deny(caller, orgId, request.pathParameter("requestId"), body(request), origin));
            default:
                throw new NotFoundException();
        }
    }

    /** An approval may come with no body at all. */
    private static ObjectNode body(ApiRequest request) {
        return request.jsonObjectOrEmpty();
    }

    /**
     * The SnapStart priming call, which reads only: the caller is no member, so the list is refused (404) after
     * the access check.
     */
    private void prime() {
        handleRequest(SampleRequests.get("GET /orgs/{orgId}/invitation-requests", "/orgs/" + SampleRequests.ORG_ID
                + "/invitation-requests", Map.of("orgId", SampleRequests.ORG_ID)), null);
    }
}
