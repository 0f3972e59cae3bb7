package io.tenure.error;

/** A change that must name the version it applies to came without {@code If-Match} (428). */
public final class PreconditionRequiredException extends TenureException {
    public PreconditionRequiredException() {
        super("This change needs an If-Match header with the version you read, so it cannot overwrite someone else's change.");
    }
}
