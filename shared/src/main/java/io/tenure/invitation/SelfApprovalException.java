package io.tenure.invitation;

import io.tenure.error.TenureException;

/**
 * An admin tried to approve a request they made, or approve it twice (403): the two-person rule
 * needs another admin (issue 14).
 */
public final class SelfApprovalException extends TenureException {
    private static final int STATUS = 403;
    private static final String CODE = "self_approval";
    private static final String TITLE = "Another admin must approve this";

    public SelfApprovalException(String detail) {
        super(STATUS, CODE, TITLE, detail);
    }
}
