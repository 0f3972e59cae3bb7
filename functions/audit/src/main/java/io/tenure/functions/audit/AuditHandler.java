package io.tenure.functions.audit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.audit.AuditService;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.http.ListParameters;
import io.tenure.access.Caller;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import io.tenure.http.SampleRequests;
import java.util.Map;

/**
 * The audit trail: {@code GET /orgs/{orgId}/audit?since=&until=&action=&targetId=}, JSON pages or CSV
 * ({@code Accept: text/csv}), and {@code GET /orgs/{orgId}/audit/verify?since=&until=}, the check of
 * its hash chain.
 */
public class AuditHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final AuditService audit;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public AuditHandler() {
        this(Services.get().auditService());
        Priming.register("audit", this::prime);
    }

    /** For tests: the service to call. */
    public AuditHandler(AuditService audit) {
        this.audit = audit;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, this::route);
    }

    private ApiResponse route(ApiRequest request) {
        if ("GET /orgs/{orgId}/audit/verify".equals(request.routeKey())) {
            return ApiResponse.json(200, audit.verify(request.caller(), request.pathParameter("orgId"),
                    request.query("since").orElse(null), request.query("until").orElse(null)));
        }
        if (!"GET /orgs/{orgId}/audit".equals(request.routeKey())) {
            throw new NotFoundException();
        }
        Caller caller = request.caller();
        String orgId = request.pathParameter("orgId");
        String since = request.query("since").orElse(null);
        String until = request.query("until").orElse(null);
        String action = request.query("action").orElse(null);
        String targetId = request.query("targetId").orElse(null);
        // Checked for both answers: the CSV export is the whole range, but a malformed limit is still refused.
        ListParameters list = ListParameters.from(request);
        if (request.header("accept").map(a -> a.toLowerCase().contains("text/csv")).orElse(false)) {
            return new ApiResponse(200, Map.of("content-type", "text/csv; charset=utf-8",
                    "content-disposition", "attachment; filename=\"audit-" + orgId + ".csv\""),
                    audit.csv(caller, orgId, since, until, action, targetId));
        }
        return ApiResponse.json(200, audit.list(caller, orgId, since, until, action, targetId, list.limit(), list.cursor()));
    }

    /**
     * The SnapStart priming call, which reads only: the caller is no member, so the trail answers 404 after the
     * access check.
     */
    private void prime() {
        handleRequest(SampleRequests.get("GET /orgs/{orgId}/audit", "/orgs/" + SampleRequests.ORG_ID + "/audit",
                Map.of("orgId", SampleRequests.ORG_ID)), null);
    }
}
