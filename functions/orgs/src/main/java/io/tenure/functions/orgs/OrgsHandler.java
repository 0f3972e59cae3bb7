package io.tenure.functions.orgs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.http.IdempotentPosts;
import io.tenure.http.IfMatch;
import io.tenure.idempotency.IdempotencyService;
import io.tenure.identity.ApiKeyService;
import io.tenure.identity.CreatedApiKey;
import io.tenure.http.ListParameters;
import io.tenure.access.Caller;
import io.tenure.org.OrgService;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import io.tenure.http.SampleRequests;
import java.util.Map;

/** Organizations and projects: create, read and change orgs; create, list and change projects; project API keys. */
public class OrgsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final OrgService orgs;
    private final ApiKeyService apiKeys;
    private final IdempotencyService idempotency;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public OrgsHandler() {
        this(Services.get().orgService(), Services.get().apiKeyService(), Services.get().idempotency());
        Priming.register("orgs", this::prime);
    }

    /** For tests: the services to call. */
    public OrgsHandler(OrgService orgs, ApiKeyService apiKeys, IdempotencyService idempotency) {
        this.orgs = orgs;
        this.apiKeys = apiKeys;
        this.idempotency = idempotency;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, IdempotentPosts.wrap(idempotency, HttpApiAdapter.remainingTime(context),
                this::authorize, this::route));
    }

    /** Who may repeat a POST here: anyone signed in for POST /orgs; org admins for the rest. */
    private void authorize(ApiRequest request) {
        String orgId = request.pathParameter("orgId");
        if (orgId != null) {
            // Projects and API keys alike are org-admin only (SPEC §2).
            apiKeys.requireAdmin(request.caller(), orgId);
        }
    }

    private ApiResponse route(ApiRequest request) {
        Caller caller = request.caller();
        RequestOrigin origin = request.origin();
        String orgId = request.pathParameter("orgId");
        switch (request.routeKey()) {
            case "POST /orgs":
                return ApiResponse.json(201, orgs.create(caller, request.jsonObject(), origin));
            case "GET /orgs/{orgId}":
                return ApiResponse.json(200, orgs.get(caller, orgId));
            case "PATCH /orgs/{orgId}":
                return ApiResponse.json(200, orgs.update(caller, orgId, request.jsonObject(), IfMatch.version(request), origin));
            case "PATCH /orgs/{orgId}/projects/{projectId}":
                return ApiResponse.json(200, orgs.updateProject(caller, orgId, request.pathParameter("projectId"),
                        request.jsonObject(), IfMatch.version(request), origin));
            case "POST /orgs/{orgId}/projects/{projectId}/api-keys":
                CreatedApiKey created = apiKeys.create(caller, orgId, request.pathParameter("projectId"), request.jsonObject(), origin);
                // The secret is shown once: a repeat answers the key without it.
                return ApiResponse.json(201, created).repeatedAs(ApiResponse.json(201, ApiKeyService.withoutSecret(created)));
            case "DELETE /orgs/{orgId}/projects/{projectId}/api-keys/{keyId}":
                apiKeys.revoke(caller, orgId, request.pathParameter("projectId"), request.pathParameter("keyId"), origin);
                return ApiResponse.noContent();
            case "POST /orgs/{orgId}/projects":
                return ApiResponse.json(201, orgs.createProject(caller, orgId, request.jsonObject(), origin));
            case "GET /orgs/{orgId}/projects":
                ListParameters list = ListParameters.from(request);
                return ApiResponse.json(200, orgs.listProjects(caller, orgId, list.limit(), list.cursor()));
            default:
                throw new NotFoundException();
        }
    }

    /**
     * The SnapStart priming call, which reads only: the caller is no member, so each route answers 404 after one
     * GetItem; without an Idempotency-Key no record is written.
     */
    private void prime() {
        Map<String, String> ids = Map.of("orgId", SampleRequests.ORG_ID);
        String org = "/orgs/" + SampleRequests.ORG_ID;
        handleRequest(SampleRequests.get("GET /orgs/{orgId}", org, ids), null);
        handleRequest(SampleRequests.send("POST /orgs/{orgId}/projects", org + "/projects", ids,
                "{\"name\":\"Priming\",\"platform\":\"web\"}"), null);
    }
}
