package io.tenure.functions.invitations;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.http.ListParameters;
import io.tenure.invitation.InvitationQueries;
import io.tenure.access.Caller;
import io.tenure.runtime.Services;

/** Reads invitations: {@code GET /orgs/{orgId}/invitations?status=} and {@code GET /orgs/{orgId}/invitations/{invitationId}}. */
public class InvitationsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final InvitationQueries invitations;

    /** Lambda's constructor: real clients, built once per instance. */
    public InvitationsHandler() {
        this(Services.get().invitationQueries());
    }

    /** For tests: the service to call. */
    public InvitationsHandler(InvitationQueries invitations) {
        this.invitations = invitations;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, this::route);
    }

    private ApiResponse route(ApiRequest request) {
        Caller caller = request.caller();
        String orgId = request.pathParameter("orgId");
        switch (request.routeKey()) {
            case "GET /orgs/{orgId}/invitations":
                ListParameters list = ListParameters.from(request);
                return ApiResponse.json(200, invitations.list(caller, orgId, request.query("status").orElse(null),
                        list.limit(), list.cursor()));
            case "GET /orgs/{orgId}/invitations/{invitationId}":
                return ApiResponse.json(200, invitations.get(caller, orgId, request.pathParameter("invitationId")));
            default:
                throw new NotFoundException();
        }
    }
}
