package io.tenure.functions.invite;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.NotFoundException;
import io.tenure.error.TenureException;
import io.tenure.error.ValidationFailedException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.http.IdempotentPosts;
import io.tenure.http.ProblemMapper;
import io.tenure.idempotency.IdempotencyService;
import io.tenure.invitation.InvitationService;
import io.tenure.invitation.InviteResult;
import io.tenure.json.Json;
import io.tenure.access.Caller;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import io.tenure.http.SampleRequests;
import java.util.Map;

/**
 * Invites collaborators: {@code POST /orgs/{orgId}/invitations} answers 201 with the invitation and
 * its warnings, or 202 with the invitation request it became when the org's two-person rule applies; {@code POST /orgs/{orgId}/invitations/batch} takes up to 10, each succeeding or
 * failing on its own, and answers 207.
 */
public class InviteHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BATCH = 10;

    private final InvitationService invitations;
    private final IdempotencyService idempotency;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public InviteHandler() {
        this(Services.get().invitationService(), Services.get().idempotency());
        Priming.register("invite", this::prime);
    }

    /** For tests: the services to call. */
    public InviteHandler(InvitationService invitations, IdempotencyService idempotency) {
        this.invitations = invitations;
        this.idempotency = idempotency;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, IdempotentPosts.wrap(idempotency, HttpApiAdapter.remainingTime(context),
                // Invitations are org-admin only; a repeat is answered only to an admin still.
                request -> invitations.requireAdmin(request.caller(), request.pathParameter("orgId")),
                this::route));
    }

    private ApiResponse route(ApiRequest request) {
        Caller caller = request.caller();
        RequestOrigin origin = request.origin();
        String orgId = request.pathParameter("orgId");
        // Names this client request on what it creates, so a retry after a lapsed idempotency claim finds it.
        String requestKey = IdempotentPosts.requestKey(request).orElse(null);
        switch (request.routeKey()) {
            case "POST /orgs/{orgId}/invitations": {
                InviteResult result = invitations.invite(caller, orgId, request.jsonObject(), origin, requestKey);
                // Under the org's two-person rule the invite became a request another admin approves.
                return ApiResponse.json(result.awaitsApproval() ? 202 : 201, created(result));
            }
            case "POST /orgs/{orgId}/invitations/batch":
                return batch(caller, orgId, request, origin, requestKey);
            default:
                throw new NotFoundException();
        }
    }

    private ApiResponse batch(Caller caller, String orgId, ApiRequest request, RequestOrigin origin, String requestKey) {
        JsonNode list = request.jsonObject().get("invitations");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_BATCH) {
            throw ValidationFailedException.of("/invitations", "must be a list of 1 to " + MAX_BATCH + " invitations");
        }
        InvitationService.Batch batch = invitations.batch(caller, orgId);
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        for (int i = 0; i < list.size(); i++) {
            ObjectNode result = results.addObject();
            result.put("index", i);
            try {
                if (!list.get(i).isObject()) {
                    throw ValidationFailedException.of("", "must be an invitation object");
                }
                InviteResult made = batch.invite((ObjectNode) list.get(i), origin, requestKey == null ? null : requestKey + "#" + i);
                result.put("status", made.awaitsApproval() ? 202 : 201);
                result.set(made.awaitsApproval() ? "request" : "invitation", created(made));
            } catch (TenureException refused) {
                ApiResponse problem = ProblemMapper.toResponse(refused, request.requestId());
                result.put("status", problem.status());
                result.set("problem", readTree(problem.body()));
            }
        }
        return ApiResponse.json(207, body);
    }

    private static JsonNode readTree(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode created(InviteResult result) {
        ObjectNode body = Json.tree(result.awaitsApproval() ? result.request() : result.invitation());
        body.set("warnings", Json.MAPPER.valueToTree(result.warnings()));
        return body;
    }

    /**
     * The SnapStart priming call, which reads only: the caller is no admin, so the invitation is refused (404) after
     * the access check's GetItem, before the daily ceiling, any write or any email.
     */
    private void prime() {
        Map<String, String> ids = Map.of("orgId", SampleRequests.ORG_ID);
        handleRequest(SampleRequests.send("POST /orgs/{orgId}/invitations", "/orgs/" + SampleRequests.ORG_ID + "/invitations", ids,
                "{\"email\":\"invitee@tenure.invalid\",\"orgRole\":\"member\",\"projects\":[],"
                        + "\"note\":{\"justification\":\"SnapStart priming\"}}"), null);
    }
}
