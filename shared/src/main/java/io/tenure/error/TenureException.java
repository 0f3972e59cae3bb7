package io.tenure.error;

import java.util.Map;

/**
 * Base of every expected failure. Each subtype is one domain case and carries what its answer
 * needs: the HTTP status, the stable problem code and title of SPEC §4, and any headers (such as
 * Retry-After) or extension members. {@code io.tenure.http.ProblemMapper} writes problem+json from
 * that, and the accept page writes HTML from the same data, so neither knows the cases. The
 * message is the problem's {@code detail} and is written for the caller, so it never holds
 * internals. A case is never a 5xx other than 503: {@code ErrorsMapThemselvesTest} checks every
 * subtype.
 */
public abstract class TenureException extends RuntimeException {
    private final int status;
    private final String code;
    private final String title;

    protected TenureException(int status, String code, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    /** The HTTP status of the answer. */
    public final int status() {
        return status;
    }

    /** The stable problem code, e.g. {@code validation_failed}; {@code type} is {@code urn:tenure:problem:<code>}. */
    public final String code() {
        return code;
    }

    /** The problem's short title, the same for every occurrence of the case. */
    public final String title() {
        return title;
    }

    /** Headers of the answer, by lower-case name (e.g. {@code retry-after}); none by default. */
    public Map<String, String> headers() {
        return Map.of();
    }

    /** Members of the problem body beside the standard ones (e.g. {@code errors}); none by default. */
    public Map<String, Object> extensions() {
        return Map.of();
    }
}
