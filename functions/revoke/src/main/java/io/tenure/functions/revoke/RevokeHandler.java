package io.tenure.functions.revoke;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.invitation.RevokeService;
import io.tenure.access.Caller;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import io.tenure.http.SampleRequests;
import java.util.Map;

/** Withdraws an invitation: {@code DELETE /orgs/{orgId}/invitations/{invitationId}} answers 204, also when already revoked. */
public class RevokeHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final RevokeService revoke;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public RevokeHandler() {
        this(Services.get().revokeService());
        Priming.register("revoke", this::prime);
    }

    /** For tests: the service to call. */
    public RevokeHandler(RevokeService revoke) {
        this.revoke = revoke;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, this::route);
    }

    private ApiResponse route(ApiRequest request) {
        if (!"DELETE /orgs/{orgId}/invitations/{invitationId}".equals(request.routeKey())) {
            throw new NotFoundException();
        }
        Caller caller = request.caller();
        RequestOrigin origin = request.origin();
        revoke.revoke(caller, request.pathParameter("orgId"), request.pathParameter("invitationId"), origin);
        return ApiResponse.noContent();
    }

    /**
     * The SnapStart priming call, which reads only: the caller is no admin, so the revocation is refused (404) after
     * the access check.
     */
    private void prime() {
        Map<String, String> ids = Map.of("orgId", SampleRequests.ORG_ID, "invitationId", SampleRequests.INVITATION_ID);
        handleRequest(SampleRequests.request("DELETE /orgs/{orgId}/invitations/{invitationId}",
                "/orgs/" + SampleRequests.ORG_ID + "/invitations/" + SampleRequests.INVITATION_ID, ids, Map.of(), null, true), null);
    }
}
