package io.tenure.invitation;

import java.util.List;

/**
 * How an invitation made from an approved request was approved (issue 14): the request and each
 * admin's approval, with its reference. The invitation's {@code createdBy} is the requester.
 */
public record InvitationApproval(String requestId, List<InvitationRequest.Approval> approvals) {
}
