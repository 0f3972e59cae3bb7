package io.tenure.functions.me;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.member.Caller;
import io.tenure.member.MemberService;
import io.tenure.runtime.Services;

/** The caller's memberships: {@code GET /me}, open to any member. */
public class MeHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final MemberService members;

    /** Lambda's constructor: real clients, built once per instance. */
    public MeHandler() {
        this(Services.get().memberService());
    }

    /** For tests: the service to call. */
    public MeHandler(MemberService members) {
        this.members = members;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, this::route);
    }

    private ApiResponse route(ApiRequest request) {
        if (!"GET /me".equals(request.routeKey())) {
            throw new NotFoundException();
        }
        return ApiResponse.json(200, members.me(Caller.fromClaims(request.claims())));
    }
}
