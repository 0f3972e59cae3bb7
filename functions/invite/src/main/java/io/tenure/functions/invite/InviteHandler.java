package io.tenure.functions.invite;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.invitation.InvitationService;
import io.tenure.invitation.InviteResult;
import io.tenure.json.Json;
import io.tenure.member.Caller;
import io.tenure.runtime.Services;

/** Invites a collaborator: {@code POST /orgs/{orgId}/invitations} answers 201 with the invitation and its warnings. */
public class InviteHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final InvitationService invitations;

    /** Lambda's constructor: real clients, built once per instance. */
    public InviteHandler() {
        this(Services.get().invitationService());
    }

    /** For tests: the service to call. */
    public InviteHandler(InvitationService invitations) {
        this.invitations = invitations;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, this::route);
    }

    private ApiResponse route(ApiRequest request) {
        if (!"POST /orgs/{orgId}/invitations".equals(request.routeKey())) {
            throw new NotFoundException();
        }
        Caller caller = Caller.fromClaims(request.claims());
        RequestOrigin origin = new RequestOrigin(request.requestId(), request.sourceIp(), request.userAgent());
        InviteResult result = invitations.invite(caller, request.pathParameter("orgId"), request.jsonObject(), origin);
        ObjectNode body = Json.tree(result.invitation());
        body.set("warnings", Json.MAPPER.valueToTree(result.warnings()));
        return ApiResponse.json(201, body);
    }
}
