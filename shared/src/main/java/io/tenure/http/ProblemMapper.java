package io.tenure.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.error.FieldError;
import io.tenure.error.ForbiddenException;
import io.tenure.error.InvalidStateException;
import io.tenure.error.MalformedJsonException;
import io.tenure.error.NotFoundException;
import io.tenure.error.PayloadTooLargeException;
import io.tenure.error.PreconditionRequiredException;
import io.tenure.error.RateLimitedException;
import io.tenure.error.ServiceUnavailableException;
import io.tenure.error.TenureException;
import io.tenure.error.UnauthenticatedException;
import io.tenure.error.ValidationFailedException;
import io.tenure.error.VersionMismatchException;
import io.tenure.idempotency.IdempotencyKeyReusedException;
import io.tenure.identity.IdentityConflictException;
import io.tenure.idempotency.RequestInProgressException;
import io.tenure.invitation.AlreadyMemberException;
import io.tenure.invitation.InvitationGoneException;
import io.tenure.invitation.InvitationPendingException;
import io.tenure.json.Json;
import io.tenure.org.SlugTakenException;
import io.tenure.runtime.SdkClients;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that turns failures into {@code application/problem+json} (SPEC §4). Unexpected
 * failures become a bare 500 that names only the request id: no stack trace, message or class name.
 * A dependency that could not be reached or was briefly unable to answer (see
 * {@link SdkClients#unavailable}) is a 503 with {@code Retry-After}: the request may succeed later.
 */
public final class ProblemMapper {
    public static final String CONTENT_TYPE = "application/problem+json";
    /** How long a caller should wait before retrying a request that met an unavailable dependency. */
    public static final long UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

    private ProblemMapper() {
    }

    public static ApiResponse toResponse(Throwable failure, String requestId) {
        if (!(failure instanceof TenureException) && SdkClients.unavailable(failure)) {
            failure = new ServiceUnavailableException(UNAVAILABLE_RETRY_AFTER_SECONDS);
        }
        if (!(failure instanceof TenureException known)) {
            return problem(500, "internal_error", "Internal error",
                    "The request failed. Quote request id " + requestId + " when reporting it.", null, Map.of());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        ObjectNode extra = Json.object();
        int status;
        String code;
        String title;
        if (known instanceof ValidationFailedException v) {
            status = 422;
            code = "validation_failed";
            title = "Validation failed";
            ArrayNode errors = extra.putArray("errors");
            for (FieldError e : v.errors()) {
                errors.addObject().put("pointer", e.pointer()).put("message", e.message());
            }
        } else if (known instanceof MalformedJsonException) {
            status = 400;
            code = "malformed_json";
            title = "Malformed JSON";
        } else if (known instanceof PayloadTooLargeException) {
            status = 413;
            code = "payload_too_large";
            title = "Payload too large";
        } else if (known instanceof UnauthenticatedException) {
            status = 401;
            code = "unauthenticated";
            title = "Unauthenticated";
        } else if (known instanceof ForbiddenException) {
            status = 403;
            code = "forbidden";
            title = "Forbidden";
        } else if (known instanceof NotFoundException) {
            status = 404;
            code = "not_found";
            title = "Not found";
        } else if (known instanceof AlreadyMemberException a) {
            status = 409;
            code = "already_member";
            title = "Already a member";
            if (a.memberId() != null) {
                extra.put("memberId", a.memberId());
            }
        } else if (known instanceof InvitationPendingException p) {
            status = 409;
            code = "invitation_pending";
            title = "Invitation pending";
            if (p.invitationId() != null) {
                extra.put("invitationId", p.invitationId());
            }
        } else if (known instanceof InvitationGoneException g) {
            status = 410;
            code = g.code();
            title = "Invitation no longer usable";
        } else if (known instanceof IdentityConflictException) {
            status = 409;
            code = "identity_conflict";
            title = "Identity conflict";
        } else if (known instanceof SlugTakenException) {
            status = 409;
            code = "slug_taken";
            title = "Slug taken";
        } else if (known instanceof InvalidStateException) {
            status = 409;
            code = "invalid_state";
            title = "Invalid state";
        } else if (known instanceof IdempotencyKeyReusedException) {
            status = 422;
            code = "idempotency_key_reused";
            title = "Idempotency key reused";
        } else if (known instanceof RequestInProgressException) {
            status = 409;
            code = "request_in_progress";
            title = "Request in progress";
            headers.put("retry-after", "1");
        } else if (known instanceof PreconditionRequiredException) {
            status = 428;
            code = "precondition_required";
            title = "If-Match required";
        } else if (known instanceof VersionMismatchException) {
            status = 412;
            code = "version_mismatch";
            title = "Version mismatch";
        } else if (known instanceof RateLimitedException r) {
            status = 429;
            code = "rate_limited";
            title = "Rate limited";
            headers.put("retry-after", Long.toString(r.retryAfterSeconds()));
        } else if (known instanceof ServiceUnavailableException u) {
            status = 503;
            code = "service_unavailable";
            title = "Service unavailable";
            headers.put("retry-after", Long.toString(u.retryAfterSeconds()));
            // SPEC §4: a 5xx gives the request id
            return problem(status, code, title, known.getMessage() + " Request id " + requestId + ".", extra, headers);
        } else {
            return toResponse(new IllegalStateException("unmapped"), requestId);
        }
        return problem(status, code, title, known.getMessage(), extra, headers);
    }

    private static ApiResponse problem(int status, String code, String title, String detail,
                                       ObjectNode extra, Map<String, String> headers) {
        ObjectNode body = Json.object();
        body.put("type", "urn:tenure:problem:" + code);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        if (extra != null) {
            body.setAll(extra);
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("content-type", CONTENT_TYPE);
        return new ApiResponse(status, all, Json.write(body));
    }
}
