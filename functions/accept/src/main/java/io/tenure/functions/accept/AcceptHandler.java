package io.tenure.functions.accept;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.NotFoundException;
import io.tenure.error.TenureException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.EmailedLinks;
import io.tenure.http.HttpApiAdapter;
import io.tenure.invitation.AcceptPages;
import io.tenure.invitation.AcceptService;
import io.tenure.invitation.AlreadyMemberException;
import io.tenure.invitation.InvitationGoneException;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import io.tenure.http.SampleRequests;
import java.util.Map;

/**
 * The collaborator's link (public; the emailed token is the proof): {@code GET /invitations/accept}
 * shows the invitation and changes nothing; {@code POST /invitations/accept} accepts it, answering
 * HTML to the page's form and JSON to JSON.
 */
public class AcceptHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final AcceptService accept;
    private final AcceptPages pages = new AcceptPages();

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public AcceptHandler() {
        this(Services.get().acceptService());
        Priming.register("accept", this::prime);
    }

    /** For tests: the service to call. */
    public AcceptHandler(AcceptService accept) {
        this.accept = accept;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, this::route);
    }

    private ApiResponse route(ApiRequest request) {
        RequestOrigin origin = request.origin();
        switch (request.routeKey()) {
            case "GET /invitations/accept":
                return page(() -> ApiResponse.html(200, AcceptPages.securityHeaders(),
                        pages.invitation(accept.preview(request.query("token").orElse(null)))));
            case "POST /invitations/accept":
                String token = EmailedLinks.postedToken(request);
                if (EmailedLinks.fromPage(request)) {
                    return page(() -> ApiResponse.html(200, AcceptPages.securityHeaders(), pages.accepted(accept.accept(token, origin))));
                }
                return ApiResponse.json(200, AcceptService.answer(accept.accept(token, origin)));
            default:
                throw new NotFoundException();
        }
    }

    /** A page action; a refusal becomes a page whose heading says the case to a person at a browser. */
    private ApiResponse page(java.util.function.Supplier<ApiResponse> action) {
        return EmailedLinks.page(action, AcceptPages.securityHeaders(), known -> pages.problem(heading(known), explanation(known)));
    }

    private static String heading(TenureException refusal) {
        if (refusal instanceof InvitationGoneException gone) {
            return switch (gone.reason()) {
                case EXPIRED, REPLACED -> "This invitation link has expired";
                case REVOKED, INVITER_GONE -> "This invitation was withdrawn";
                case READDRESSED -> "This invitation went to another address";
                case USED -> "This invitation was already accepted";
            };
        }
        if (refusal instanceof NotFoundException) {
            return "Invitation not found";
        }
        if (refusal instanceof AlreadyMemberException) {
            return "You are already a member";
        }
        return EmailedLinks.commonHeading(refusal);
    }

    /** The refusal's own detail, except where a person at a browser needs other words than an API client. */
    private static String explanation(TenureException refusal) {
        if (refusal instanceof AlreadyMemberException) {
            return "This address already has access to the organization. Sign in instead.";
        }
        return EmailedLinks.explanation(refusal);
    }

    /**
     * The SnapStart priming call, which reads only: a token that was never issued, so the page answers 404 after the
     * token lookup.
     */
    private void prime() {
        handleRequest(SampleRequests.request("GET /invitations/accept", "/invitations/accept", Map.of(),
                Map.of("token", "snapstart-priming-token-that-was-never-issued"), null, false), null);
    }
}
