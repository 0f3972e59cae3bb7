package io.tenure.invitation;

import io.tenure.access.Member;
import io.tenure.org.Organization;

/** The member an accepted invitation created, and its org (for the welcome page). */
public record Accepted(Organization org, Member member) {
}
