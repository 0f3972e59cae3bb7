package io.tenure.access;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tenure.value.InvitationNote;
import io.tenure.value.MemberStatus;
import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A person's access to one org (SPEC §1).
 *
 * @param projects projectId to project role
 */
public record Member(
        String id,
        String orgId,
        String email,
        String emailKey,
        OrgRole orgRole,
        Map<String, ProjectRole> projects,
        Instant accessEndsAt,
        List<String> stakeholders,
        InvitationNote note,
        String invitedBy,
        String invitationId,
        Instant acceptedAt,
        Instant lastActiveAt,
        MemberStatus status,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    /** The org's creator: its first admin, with no projects, no end and no inviter. */
    public static Member founder(String id, String orgId, String email, String emailKey, Instant now) {
        return new Member(id, orgId, email, emailKey, OrgRole.ADMIN, Map.of(), null, List.of(), null, null, null,
                now, now, MemberStatus.ACTIVE, now, now, 1);
    }

    /**
     * A new active member made by accepting an invitation at {@code now}, with what it offered.
     *
     * @param invitedBy the inviter's email, or null when the system invited
     */
    public static Member accepted(String id, String orgId, String email, String emailKey, OrgRole orgRole,
                                  Map<String, ProjectRole> projects, Instant accessEndsAt, List<String> stakeholders,
                                  InvitationNote note, String invitedBy, String invitationId, Instant now) {
        return new Member(id, orgId, email, emailKey, orgRole, projects, accessEndsAt, stakeholders, note, invitedBy,
                invitationId, now, null, MemberStatus.ACTIVE, now, now, 1);
    }

    /** This member with a new role, projects, access end and stakeholders, changed at {@code now}: the next version. */
    public Member changed(OrgRole newOrgRole, Map<String, ProjectRole> newProjects, Instant newAccessEndsAt,
                          List<String> newStakeholders, Instant now) {
        return new Member(id, orgId, email, emailKey, newOrgRole, newProjects, newAccessEndsAt, newStakeholders, note,
                invitedBy, invitationId, acceptedAt, lastActiveAt, MemberStatus.ACTIVE, createdAt, now, version + 1);
    }

    @JsonIgnore // not a stored field
    public boolean isActive() {
        return status == MemberStatus.ACTIVE;
    }

    @JsonIgnore // not a stored field
    public boolean isAdmin() {
        return orgRole == OrgRole.ADMIN;
    }
}
