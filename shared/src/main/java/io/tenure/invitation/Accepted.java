package io.tenure.invitation;

import io.tenure.member.Member;
import io.tenure.org.Organization;

/** The member an accepted invitation created, and its org (for the welcome page). */
public record Accepted(Organization org, Member member) {
}
