package io.tenure.error;

/** {@code If-Match} named a version that is no longer current. */
public final class VersionMismatchException extends TenureException {
    private static final int STATUS = 412;
    private static final String CODE = "version_mismatch";
    private static final String TITLE = "Version mismatch";

    public VersionMismatchException(long current) {
        super(STATUS, CODE, TITLE, "The resource changed since you read it; its current version is " + current + ". Read it again and retry.");
    }
}
