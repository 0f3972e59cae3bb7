package io.tenure.identity;

import io.tenure.error.TenureException;

/** The user_id is already linked to another identity (SPEC §8: 409). */
public final class IdentityConflictException extends TenureException {
    public IdentityConflictException() {
        super("This user_id is already identified as another identity; an identity that changes would split the user in two.");
    }
}
