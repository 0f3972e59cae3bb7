package io.tenure.functions.reviews;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.access.Caller;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.http.IdempotentPosts;
import io.tenure.http.ListParameters;
import io.tenure.http.SampleRequests;
import io.tenure.idempotency.IdempotencyService;
import io.tenure.json.Json;
import io.tenure.review.ReviewService;
import io.tenure.runtime.Priming;
import io.tenure.runtime.Services;
import java.util.Map;

/**
 * Access reviews (issue 14): {@code POST /orgs/{orgId}/reviews} opens one (201, admins); reviewers
 * (admins, and project managers when the org lets them) read them and decide each member
 * ({@code POST …/{reviewId}/items/{memberId}}); admins export the evidence as JSON or CSV
 * ({@code GET …/{reviewId}/evidence}, {@code Accept: text/csv}).
 */
public class ReviewsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final ReviewService reviews;
    private final IdempotencyService idempotency;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public ReviewsHandler() {
        this(Services.get().reviewService(), Services.get().idempotency());
        Priming.register("reviews", this::prime);
    }

    /** For tests: the services to call. */
    public ReviewsHandler(ReviewService reviews, IdempotencyService idempotency) {
        this.reviews = reviews;
        this.idempotency = idempotency;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, IdempotentPosts.wrap(idempotency, HttpApiAdapter.remainingTime(context),
                // A repeat is answered only to a reviewer still (an admin, or a project manager when the org lets them review).
                request -> reviews.requireReviewer(request.caller(), request.pathParameter("orgId")),
                this::route));
    }

    private ApiResponse route(ApiRequest request) {
        Caller caller = request.caller();
        RequestOrigin origin = request.origin();
        String orgId = request.pathParameter("orgId");
        switch (request.routeKey()) {
            case "POST /orgs/{orgId}/reviews":
                return ApiResponse.json(201, reviews.open(caller, orgId, request.jsonObjectOrEmpty(), origin));
            case "GET /orgs/{orgId}/reviews": {
                ListParameters list = ListParameters.from(request);
                return ApiResponse.json(200, reviews.list(caller, orgId, list.limit(), list.cursor()));
            }
            case "GET /orgs/{orgId}/reviews/{reviewId}":
                return ApiResponse.json(200, view(reviews.get(caller, orgId, request.pathParameter("reviewId"))));
            case "POST /orgs/{orgId}/reviews/{reviewId}/items/{memberId}":
                return ApiResponse.json(200, reviews.decide(caller, orgId, request.pathParameter("reviewId"),
                        request.pathParameter("memberId"), request.jsonObject(), origin));
            case "GET /orgs/{orgId}/reviews/{reviewId}/evidence": {
                String reviewId = request.pathParameter("reviewId");
                if (request.header("accept").map(a -> a.toLowerCase().contains("text/csv")).orElse(false)) {
                    return new ApiResponse(200, Map.of("content-type", "text/csv; charset=utf-8",
                            "content-disposition", "attachment; filename=\"review-" + reviewId + ".csv\""),
                            reviews.evidenceCsv(caller, orgId, reviewId));
                }
                return ApiResponse.json(200, view(reviews.evidence(caller, orgId, reviewId)));
            }
            default:
                throw new NotFoundException();
        }
    }

    private static ObjectNode view(ReviewService.CampaignView view) {
        ObjectNode body = Json.tree(view.campaign());
        body.set("items", Json.MAPPER.valueToTree(view.items()));
        body.set("projects", Json.MAPPER.valueToTree(view.projectNames()));
        return body;
    }

    /**
     * The SnapStart priming call, which reads only: the caller is no member, so the list answers 404 after the
     * access check.
     */
    private void prime() {
        handleRequest(SampleRequests.get("GET /orgs/{orgId}/reviews", "/orgs/" + SampleRequests.ORG_ID + "/reviews",
                Map.of("orgId", SampleRequests.ORG_ID)), null);
    }
}
