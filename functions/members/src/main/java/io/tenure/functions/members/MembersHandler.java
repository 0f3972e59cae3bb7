package io.tenure.functions.members;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.NotFoundException;
import io.tenure.http.ApiRequest;
import io.tenure.http.ApiResponse;
import io.tenure.http.HttpApiAdapter;
import io.tenure.http.IfMatch;
import io.tenure.http.ListParameters;
import io.tenure.invitation.InvitationWithdrawal;
import io.tenure.access.Caller;
import io.tenure.access.Member;
import io.tenure.member.MemberService;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import io.tenure.http.SampleRequests;
import java.util.Map;

/**
 * Members of an org, for its admins: list with filters, duplicates, read, change (with a
 * justification and {@code If-Match}) and remove (with a reason).
 */
public class MembersHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final MemberService members;
    private final InvitationWithdrawal withdrawal;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public MembersHandler() {
        this(Services.get().memberService(), Services.get().invitationWithdrawal());
        Priming.register("members", this::prime);
    }

    /** For tests: the services to call. */
    public MembersHandler(MemberService members, InvitationWithdrawal withdrawal) {
        this.members = members;
        this.withdrawal = withdrawal;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApiAdapter.handle(event, this::route);
    }

    private ApiResponse route(ApiRequest request) {
        Caller caller = request.caller();
        RequestOrigin origin = request.origin();
        String orgId = request.pathParameter("orgId");
        String memberId = request.pathParameter("memberId");
        switch (request.routeKey()) {
            case "GET /orgs/{orgId}/members":
                ListParameters list = ListParameters.from(request);
                return ApiResponse.json(200, members.list(caller, orgId, request.query("projectId").orElse(null),
                        request.query("role").orElse(null), request.query("expiringBefore").orElse(null), list.limit(), list.cursor()));
            case "GET /orgs/{orgId}/members/duplicates":
                return ApiResponse.json(200, members.duplicates(caller, orgId));
            case "GET /orgs/{orgId}/members/{memberId}":
                return withCheckin(members.read(caller, orgId, memberId));
            case "PATCH /orgs/{orgId}/members/{memberId}":
                return withVersion(members.update(caller, orgId, memberId, request.jsonObject(), IfMatch.version(request), origin));
            case "DELETE /orgs/{orgId}/members/{memberId}":
                String reason = request.query("reason").orElse(null);
                // What the removed member offered goes with them; accepting it is refused anyway.
                members.remove(caller, orgId, memberId, reason, origin).ifPresent(removed ->
                        withdrawal.withdrawAllBy(orgId, removed.email(), "the inviter was removed: " + reason.trim()));
                return ApiResponse.noContent();
            default:
                throw new NotFoundException();
        }
    }

    /** The member, with their 30-day check-in (when sent) and its answer, under {@code checkin}; its version as an ETag. */
    private static ApiResponse withCheckin(io.tenure.member.MemberService.MemberRead read) {
        com.fasterxml.jackson.databind.node.ObjectNode body = io.tenure.json.Json.tree(read.member());
        if (read.checkin() != null) {
            com.fasterxml.jackson.databind.node.ObjectNode checkin = body.putObject("checkin");
            checkin.put("sentAt", read.checkin().sentAt().toString());
            checkin.put("expiresAt", read.checkin().expiresAt().toString());
            if (read.checkin().answered()) {
                checkin.put("answer", read.checkin().answer().json());
                checkin.put("answeredAt", read.checkin().answeredAt().toString());
            }
        }
        return ApiResponse.json(200, body).withHeader("etag", "\"" + read.member().version() + "\"");
    }

    /** The member with its version as an ETag, for the next If-Match. */
    private static ApiResponse withVersion(Member member) {
        return ApiResponse.json(200, member).withHeader("etag", "\"" + member.version() + "\"");
    }

    /**
     * The SnapStart priming call, which reads only: the caller is no member, so the list answers 404 after the
     * access check.
     */
    private void prime() {
        handleRequest(SampleRequests.get("GET /orgs/{orgId}/members", "/orgs/" + SampleRequests.ORG_ID + "/members",
                Map.of("orgId", SampleRequests.ORG_ID)), null);
    }
}
