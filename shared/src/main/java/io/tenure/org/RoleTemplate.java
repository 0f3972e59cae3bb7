package io.tenure.org;

import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import java.util.Map;

/**
 * A named pair of org role and project role (SPEC §9), so an admin can invite with
 * {@code template + projectIds} instead of spelling out each project's role. The roles stay text
 * as the admin sent them: {@link OrgSettings} checks them with its own messages, and only a valid
 * template is used ({@link #grantsOrgRole}, {@link #grantsProjectRole}).
 *
 * @param projectRole null for templates that grant the admin role (admins manage every project)
 */
public record RoleTemplate(String orgRole, String projectRole) {
    /** The four templates every org has. */
    public static final Map<String, RoleTemplate> BUILT_IN = Map.of(
            "implementation", of(OrgRole.MEMBER, ProjectRole.MANAGER),
            "analytics", of(OrgRole.MEMBER, ProjectRole.ANALYST),
            "reporting", of(OrgRole.MEMBER, ProjectRole.VIEWER),
            "governance", of(OrgRole.ADMIN, null));

    public static RoleTemplate of(OrgRole orgRole, ProjectRole projectRole) {
        return new RoleTemplate(orgRole.json(), projectRole == null ? null : projectRole.json());
    }

    /** The org role it grants; the template was checked when the settings were saved. */
    public OrgRole grantsOrgRole() {
        return OrgRole.of(orgRole);
    }

    /** The project role it grants, or null (admin templates). */
    public ProjectRole grantsProjectRole() {
        return projectRole == null ? null : ProjectRole.of(projectRole);
    }
}
