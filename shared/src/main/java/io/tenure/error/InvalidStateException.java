package io.tenure.error;

/** The resource is not in a state that allows the change (409), e.g. resending an accepted invitation. */
public final class InvalidStateException extends TenureException {
    private static final int STATUS = 409;
    private static final String CODE = "invalid_state";
    private static final String TITLE = "Invalid state";

    public InvalidStateException(String detail) {
        super(STATUS, CODE, TITLE, detail);
    }
}
