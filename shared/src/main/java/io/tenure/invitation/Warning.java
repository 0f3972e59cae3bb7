package io.tenure.invitation;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something the admin should know about an invitation that was still created: a possible
 * duplicate, a broad role, no end date, a name that breaks the org's pattern, an unsent email, a
 * domain that looks mistyped.
 *
 * @param suggestion with {@code possible_typo}, the address the admin probably meant
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Warning(String code, String message, String memberId, String invitationId, String suggestion) {
    public static Warning of(String code, String message) {
        return new Warning(code, message, null, null, null);
    }

    /** A possible duplicate of a member or of a pending invitation. */
    public static Warning duplicate(String message, String memberId, String invitationId) {
        return new Warning("possible_duplicate", message, memberId, invitationId, null);
    }

    /** {@code email} is at {@code domain}, which looks like a typo of {@code meant} (issue 15). */
    public static Warning possibleTypo(String email, String domain, String meant) {
        String suggested = email.substring(0, email.lastIndexOf('@') + 1) + meant;
        return new Warning("possible_typo", "The domain " + domain + " looks like a typo of " + meant + ": did you mean " + suggested
                + "? The invitation was sent as typed; if it is wrong, correct its address (PATCH the invitation with the right email).",
                null, null, suggested);
    }
}
