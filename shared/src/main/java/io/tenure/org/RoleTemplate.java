package io.tenure.org;

import java.util.Map;

/**
 * A named pair of org role and project role (SPEC §9), so an admin can invite with
 * {@code template + projectIds} instead of spelling out each project's role.
 *
 * @param projectRole null for templates that grant the admin role (admins manage every project)
 */
public record RoleTemplate(String orgRole, String projectRole) {
    /** The four templates every org has. */
    public static final Map<String, RoleTemplate> BUILT_IN = Map.of(
            "implementation", new RoleTemplate("member", "manager"),
            "analytics", new RoleTemplate("member", "analyst"),
            "reporting", new RoleTemplate("member", "viewer"),
            "governance", new RoleTemplate("admin", null));
}
