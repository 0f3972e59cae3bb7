package io.tenure.error;

/** A change that must name the version it applies to came without {@code If-Match} (428). */
public final class PreconditionRequiredException extends TenureException {
    private static final int STATUS = 428;
    private static final String CODE = "precondition_required";
    private static final String TITLE = "If-Match required";

    public PreconditionRequiredException() {
        super(STATUS, CODE, TITLE, "This change needs an If-Match header with the version you read, so it cannot overwrite someone else's change.");
    }
}
