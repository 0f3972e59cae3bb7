package io.tenure.error;

/**
 * The thing does not exist, or the caller may not know it exists: anything under another org
 * answers this too, so nothing leaks (SPEC §2).
 */
public final class NotFoundException extends TenureException {
    public NotFoundException() {
        super("Not found.");
    }

    public NotFoundException(String detail) {
        super(detail);
    }
}
