package io.tenure.functions.checkins;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.InvalidStateException;
import io.tenure.error.NotFoundException;
import io.tenure.error.TenureException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.EmailedLinks;
import io.tenure.http.HttpApiAdapter;
import io.tenure.http.SampleRequests;
import io.tenure.invitation.AcceptPages;
import io.tenure.member.CheckinGoneException;
import io.tenure.member.CheckinPages;
import io.tenure.member.CheckinService;
import io.tenure.runtime.Priming;
import io.tenure.runtime.Services;
import java.util.Map;

/**
 * The inviter's check-in links (public; the emailed token is the proof): {@code GET
 * /checkins/answer} shows what the link will do and changes nothing; {@code POST
 * /checkins/answer} does it (keeps or removes the member), answering HTML to the page's form and
 * JSON to JSON.
 */
public class CheckinsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final CheckinService checkins;
    private final CheckinPages pages = new CheckinPages();

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public CheckinsHandler() {
        this(Services.get().checkinService());
        Priming.register("checkins", this::prime);
    }

    /** For tests: the service to call. */
    public CheckinsHandler(CheckinService checkins) {
        this.checkins = checkins;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, this::route);
    }

    private ApiResponse route(ApiRequest request) {
        RequestOrigin origin = request.origin();
        switch (request.routeKey()) {
            case "GET /checkins/answer":
                return page(() -> ApiResponse.html(200, AcceptPages.securityHeaders(),
                        pages.checkin(checkins.preview(request.query("token").orElse(null)))));
            case "POST /checkins/answer":
                String token = EmailedLinks.postedToken(request);
                if (EmailedLinks.fromPage(request)) {
                    return page(() -> ApiResponse.html(200, AcceptPages.securityHeaders(), pages.answered(checkins.answer(token, origin))));
                }
                return ApiResponse.json(200, CheckinService.answer(checkins.answer(token, origin)));
            default:
                throw new NotFoundException();
        }
    }

    /** A page action; a refusal becomes a page whose heading says the case to a person at a browser. */
    private ApiResponse page(java.util.function.Supplier<ApiResponse> action) {
        return EmailedLinks.page(action, AcceptPages.securityHeaders(), known -> pages.problem(heading(known), EmailedLinks.explanation(known)));
    }

    private static String heading(TenureException refusal) {
        if (refusal instanceof CheckinGoneException gone) {
            return switch (gone.reason()) {
                case ANSWERED -> "This check-in was already answered";
                case EXPIRED, REPLACED -> "This check-in link has expired";
                case MEMBER_GONE -> "This member no longer has access";
                case INVITER_GONE -> "This link no longer works for you";
            };
        }
        if (refusal instanceof NotFoundException) {
            return "Check-in not found";
        }
        if (refusal instanceof InvalidStateException) {
            return "This member cannot be removed";
        }
        return EmailedLinks.commonHeading(refusal);
    }

    /** The SnapStart priming call, which reads only: a token that was never issued, so the page answers 404 after the token lookup. */
    private void prime() {
        handleRequest(SampleRequests.request("GET /checkins/answer", "/checkins/answer", Map.of(),
                Map.of("token", "snapstart-priming-token-that-was-never-issued"), null, false), null);
    }
}
