package io.tenure.functions.me;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.member.MemberService;
import io.tenure.runtime.FunctionRuntime;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import io.tenure.http.SampleRequests;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The caller's memberships: {@code GET /me}, open to any member; and the admin console's sign-in
 * settings: {@code GET /console-config}, public ({@link ConsoleConfig}).
 */
public class MeHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final MemberService members;
    /** FunctionRuntime's, not System.getenv(): the local stack gives each function its template environment there. */
    private final Supplier<Map<String, String>> environment;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public MeHandler() {
        this(Services.get().memberService());
        Priming.register("me", this::prime);
    }

    /** For tests: the service to call. */
    public MeHandler(MemberService members) {
        this(members, FunctionRuntime::environment);
    }

    /** For tests: the service to call, and the environment the console's settings come from. */
    public MeHandler(MemberService members, Supplier<Map<String, String>> environment) {
        this.members = members;
        this.environment = environment;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, this::route);
    }

    private ApiResponse route(ApiRequest request) {
        return switch (String.valueOf(request.routeKey())) {
            case "GET /me" -> ApiResponse.json(200, members.me(request.caller()));
            // Read per request (a map lookup): a bad environment fails this route only, never GET /me.
            case "GET /console-config" -> ApiResponse.json(200, ConsoleConfig.answer(environment.get()))
                    .withHeader("cache-control", ConsoleConfig.CACHE_CONTROL);
            default -> throw new NotFoundException();
        };
    }

    /**
     * The SnapStart priming call, which reads only: the caller is a member of nothing, so GET /me queries their
     * memberships and records no activity.
     */
    private void prime() {
        handleRequest(SampleRequests.get("GET /me", "/me", Map.of()), null);
        handleRequest(SampleRequests.request("GET /console-config", "/console-config", Map.of(), Map.of(), null, false), null);
    }
}
