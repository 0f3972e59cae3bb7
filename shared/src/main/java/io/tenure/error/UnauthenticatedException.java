package io.tenure.error;

/** No valid bearer token or API key (401). */
public final class UnauthenticatedException extends TenureException {
    private static final int STATUS = 401;
    private static final String CODE = "unauthenticated";
    private static final String TITLE = "Unauthenticated";

    public UnauthenticatedException() {
        super(STATUS, CODE, TITLE, "A valid bearer token with a verified email is required.");
    }

    public UnauthenticatedException(String detail) {
        super(STATUS, CODE, TITLE, detail);
    }
}
