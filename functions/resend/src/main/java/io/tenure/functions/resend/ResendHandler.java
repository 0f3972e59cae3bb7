package io.tenure.functions.resend;

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
import io.tenure.idempotency.IdempotencyService;
import io.tenure.invitation.InvitationService;
import io.tenure.invitation.InviteResult;
import io.tenure.http.IfMatch;
import io.tenure.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.access.Caller;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import io.tenure.http.SampleRequests;
import java.util.Map;

/**
 * Sends an invitation again with a new link ({@code POST /orgs/{orgId}/invitations/{invitationId}/resend}),
 * or to a corrected address ({@code PATCH /orgs/{orgId}/invitations/{invitationId}}).
 */
public class ResendHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final InvitationService invitations;
    private final IdempotencyService idempotency;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public ResendHandler() {
        this(Services.get().invitationService(), Services.get().idempotency());
        Priming.register("resend", this::prime);
    }

    /** For tests: the services to call. */
    public ResendHandler(InvitationService invitations, IdempotencyService idempotency) {
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
        String invitationId = request.pathParameter("invitationId");
        switch (request.routeKey()) {
            case "POST /orgs/{orgId}/invitations/{invitationId}/resend":
                return ApiResponse.json(200, invitations.resend(caller, orgId, invitationId, origin));
            case "PATCH /orgs/{orgId}/invitations/{invitationId}":
                InviteResult result = invitations.correctAddress(caller, orgId, invitationId, request.jsonObject(),
                        IfMatch.version(request), origin);
                ObjectNode body = Json.tree(result.invitation());
                body.set("warnings", Json.MAPPER.valueToTree(result.warnings()));
                return ApiResponse.json(200, body);
            default:
                throw new NotFoundException();
        }
    }

    /**
     * The SnapStart priming call, which reads only: the caller is no admin, so the resend is refused (404) after the
     * access check, before any write or email.
     */
    private void prime() {
        Map<String, String> ids = Map.of("orgId", SampleRequests.ORG_ID, "invitationId", SampleRequests.INVITATION_ID);
        handleRequest(SampleRequests.send("POST /orgs/{orgId}/invitations/{invitationId}/resend",
                "/orgs/" + SampleRequests.ORG_ID + "/invitations/" + SampleRequests.INVITATION_ID + "/resend", ids, null), null);
    }
}
