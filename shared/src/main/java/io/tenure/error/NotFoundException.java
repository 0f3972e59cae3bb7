package io.tenure.error;

/**
 * The thing does not exist, or the caller may not know it exists: anything under another org
 * answers this too, so nothing leaks (SPEC §2).
 */
public final class NotFoundException extends TenureException {
    private static final int STATUS = 404;
    private static final String CODE = "not_found";
    private static final String TITLE = "Not found";

    public NotFoundException() {
        super(STATUS, CODE, TITLE, "Not found.");
    }

    public NotFoundException(String detail) {
        super(STATUS, CODE, TITLE, detail);
    }
}
