package io.tenure.org;

import io.tenure.error.TenureException;

/** Another org already has this slug. */
public final class SlugTakenException extends TenureException {
    public SlugTakenException(String slug) {
        super("The slug '" + slug + "' is taken; choose another.");
    }
}
