package io.tenure.error;

/** {@code If-Match} named a version that is no longer current. */
public final class VersionMismatchException extends TenureException {
    public VersionMismatchException(long current) {
        super("The resource changed since you read it; its current version is " + current + ". Read it again and retry.");
    }
}
