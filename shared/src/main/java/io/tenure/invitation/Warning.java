package io.tenure.invitation;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something the admin should know about an invitation that was still created: a possible
 * duplicate, a broad role, no end date, a name that breaks the org's pattern, an unsent email.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Warning(String code, String message, String memberId, String invitationId) {
    public static Warning of(String code, String message) {
        return new Warning(code, message, null, null);
    }
}
