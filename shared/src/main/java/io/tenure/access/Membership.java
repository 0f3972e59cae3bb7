package io.tenure.access;

import io.tenure.value.OrgRole;

/** The caller's standing in one org: which member they are and their org role. */
public record Membership(String orgId, String memberId, OrgRole orgRole) {
    public boolean isAdmin() {
        return orgRole == OrgRole.ADMIN;
    }
}
