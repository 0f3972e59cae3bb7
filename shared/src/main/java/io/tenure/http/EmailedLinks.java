package io.tenure.http;

import io.tenure.error.TenureException;
import io.tenure.error.ValidationFailedException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the routes of an emailed link (the accept link, the check-in links) share: where the token
 * of a POST comes from, whether the answer is a page or JSON, and how an expected refusal becomes
 * a page with the status and headers its exception carries.
 */
public final class EmailedLinks {
    private EmailedLinks() {
    }

    /** A form post or an empty body is a browser on the page (answered with HTML); a JSON body is an API client. */
    public static boolean fromPage(ApiRequest request) {
        return request.isForm() || request.body() == null || request.body().isBlank();
    }

    /**
     * The token of a POST: the form field or the JSON body's {@code token}, else the query's (the
     * page's form posts back to its own URL). When both are given they must be the same token:
     * which of two was meant cannot be known, so it is refused (422), not guessed. A form body
     * that is not valid URL encoding ({@code token=%zz}), or gives the token twice, is a 422 too.
     */
    public static String postedToken(ApiRequest request) {
        Optional<String> body;
        if (fromPage(request)) {
            try {
                body = request.formField("token");
            } catch (IllegalArgumentException e) {
                throw ValidationFailedException.of("/token", "is not valid URL encoding");
            }
        } else {
            body = Optional.ofNullable(request.jsonObject().path("token").asText(null));
        }
        Optional<String> query = request.query("token");
        if (body.isPresent() && query.isPresent() && !body.get().equals(query.get())) {
            throw ValidationFailedException.of("/token", "differs between the body and the query string");
        }
        return body.or(() -> query).orElse(null);
    }

    /**
     * The heading of a refusal a link's own page does not name: the service briefly unavailable, or
     * anything else that went wrong with the link.
     */
    public static String commonHeading(TenureException refusal) {
        return refusal instanceof io.tenure.error.ServiceUnavailableException ? "Tenure is briefly unavailable"
                : "Something is wrong with this link";
    }

    /** The refusal's own detail, except where a person at a browser needs other words than an API client. */
    public static String explanation(TenureException refusal) {
        if (refusal instanceof io.tenure.error.ServiceUnavailableException) {
            // Nothing changed (one transaction per change), so the same link works again.
            return "Nothing was changed and your link still works. Try again in a few seconds.";
        }
        return refusal.getMessage();
    }

    /**
     * Runs a page action; an expected refusal becomes the page {@code problemPage} makes of it,
     * with the status and headers its exception carries (as the API's problem+json has).
     * Anything else is rethrown: the adapter's bare 500, logged with the request id.
     */
    public static ApiResponse page(Supplier<ApiResponse> action, Map<String, String> pageHeaders,
                                   Function<TenureException, String> problemPage) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            TenureException known = ProblemMapper.expected(e);
            if (known == null) {
                throw e;
            }
            ApiResponse page = ApiResponse.html(known.status(), pageHeaders, problemPage.apply(known));
            for (Map.Entry<String, String> header : known.headers().entrySet()) {
                page = page.withHeader(header.getKey(), header.getValue());
            }
            return page;
        }
    }
}
