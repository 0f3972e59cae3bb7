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
import io.tenure.access.Caller;
import io.tenure.runtime.Services;

/** Sends an invitation again with a new link: {@code POST /orgs/{orgId}/invitations/{invitationId}/resend}. */
public class ResendHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final InvitationService invitations;
    private final IdempotencyService idempotency;

    /** Lambda's constructor: real clients, built once per instance. */
    public ResendHandler() {
        this(Services.get().invitationService(), Services.get().idempotency());
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
        if (!"POST /orgs/{orgId}/invitations/{invitationId}/resend".equals(request.routeKey())) {
            throw new NotFoundException();
        }
        Caller caller = request.caller();
        RequestOrigin origin = request.origin();
        return ApiResponse.json(200, invitations.resend(caller, request.pathParameter("orgId"),
                request.pathParameter("invitationId"), origin));
    }
}
