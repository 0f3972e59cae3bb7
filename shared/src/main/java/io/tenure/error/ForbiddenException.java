package io.tenure.error;

/** The caller is known but lacks the role the action needs (403). */
public final class ForbiddenException extends TenureException {
    private static final int STATUS = 403;
    private static final String CODE = "forbidden";
    private static final String TITLE = "Forbidden";

    public ForbiddenException() {
        super(STATUS, CODE, TITLE, "This action needs the organization admin role.");
    }

    public ForbiddenException(String detail) {
        super(STATUS, CODE, TITLE, detail);
    }
}
