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
import io.tenure.runtime.Priming;
import io.tenure.http.SampleRequests;
import java.util.Map;

/** Reads invitations: {@code GET /orgs/{orgId}/invitations?status=} and {@code GET /orgs/{orgId}/invitations/{invitationId}}. */
public class InvitationsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final InvitationQueries invitations;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public InvitationsHandler() {
        this(Services.get().invitationQueries());
        Priming.register("invitations", this::prime);
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
                        request.query("delivery").orElse(null), list.limit(), list.cursor()));
            case "GET /orgs/{orgId}/invitations/{invitationId}":
                return ApiResponse.json(200, invitations.get(caller, orgId, request.pathParameter("invitationId")));
            default:
                throw new NotFoundException();
        }
    }

    /**
     * The SnapStart priming call, which reads only: the caller is no member, so the list answers 404 after the
     * access check.
     */
    private void prime() {
        handleRequest(SampleRequests.get("GET /orgs/{orgId}/invitations", "/orgs/" + SampleRequests.ORG_ID + "/invitations",
                Map.of("orgId", SampleRequests.ORG_ID)), null);
    }
}
