package io.tenure.org;

import io.tenure.error.TenureException;

/** Another org already has this slug. */
public final class SlugTakenException extends TenureException {
    private static final int STATUS = 409;
    private static final String CODE = "slug_taken";
    private static final String TITLE = "Slug taken";

    public SlugTakenException(String slug) {
        super(STATUS, CODE, TITLE, "The slug '" + slug + "' is taken; choose another.");
    }
}
