package io.tenure.access;

/** The caller's standing in one org: which member they are and their org role. */
public record Membership(String orgId, String memberId, String orgRole) {
    public boolean isAdmin() {
        return "admin".equals(orgRole);
    }
}
