package io.tenure.error;

/** The body is not JSON, or not JSON the route can read (400). */
public final class MalformedJsonException extends TenureException {
    private static final int STATUS = 400;
    private static final String CODE = "malformed_json";
    private static final String TITLE = "Malformed JSON";

    public MalformedJsonException() {
        super(STATUS, CODE, TITLE, "The request body is not valid JSON.");
    }

    public MalformedJsonException(String detail) {
        super(STATUS, CODE, TITLE, detail);
    }
}
