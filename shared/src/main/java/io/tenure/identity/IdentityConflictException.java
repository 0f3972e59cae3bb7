package io.tenure.identity;

import io.tenure.error.TenureException;

/** The user_id is already linked to another identity (SPEC §8: 409). */
public final class IdentityConflictException extends TenureException {
    private static final int STATUS = 409;
    private static final String CODE = "identity_conflict";
    private static final String TITLE = "Identity conflict";

    public IdentityConflictException() {
        super(STATUS, CODE, TITLE, "This user_id is already identified as another identity; an identity that changes would split the user in two.");
    }
}
