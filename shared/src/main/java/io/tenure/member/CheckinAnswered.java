package io.tenure.member;

import io.tenure.access.Member;
import io.tenure.org.Organization;
import io.tenure.value.CheckinAnswer;
import java.time.Instant;

/** A check-in this call answered: the member as it was asked about, and the answer given at {@code answeredAt}. */
public record CheckinAnswered(Organization org, Member member, CheckinAnswer answer, Instant answeredAt) {
}
