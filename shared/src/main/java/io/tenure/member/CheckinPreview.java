package io.tenure.member;

import io.tenure.access.Member;
import io.tenure.org.Organization;
import io.tenure.value.CheckinAnswer;

/** What a usable check-in link shows: the org, the member it asks about, the check-in, and the answer this link gives. */
public record CheckinPreview(Organization org, Member member, Checkin checkin, CheckinAnswer answer) {
}
