package io.tenure.member;

import io.tenure.value.CheckinAnswer;
import java.time.Instant;

/**
 * The inviter's 30-day check-in on one member (SPEC §6), answerable once through either of the
 * two links its email carries, until {@code expiresAt}.
 *
 * @param answer     null while unanswered
 * @param answeredAt null while unanswered
 */
public record Checkin(String orgId, String memberId, String memberEmail, String inviterEmail, Instant sentAt,
                      Instant expiresAt, CheckinAnswer answer, Instant answeredAt) {
    /** How long the links of a check-in can be answered: until the next step (the quarterly review) is near. */
    public static final java.time.Duration ANSWER_WITHIN = java.time.Duration.ofDays(30);

    public boolean answered() {
        return answer != null;
    }
}
