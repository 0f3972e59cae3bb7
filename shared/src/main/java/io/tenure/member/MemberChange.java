package io.tenure.member;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.access.Member;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import io.tenure.validation.BodyReader;
import io.tenure.validation.Timestamps;
import io.tenure.value.EmailAddress;
import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The body of {@code PATCH /orgs/{orgId}/members/{memberId}}, checked against the member as it is:
 * a field left out keeps its value; any other field answers 422 naming it.
 */
public record MemberChange(OrgRole orgRole, Map<String, ProjectRole> projects, Instant accessEndsAt, List<String> stakeholders,
                           String justification) {
    private static final Set<String> ORG_ROLES = Set.copyOf(OrgRole.jsonNames());

    /** The body, checked; 422 listing every broken rule. */
    public static MemberChange read(ObjectNode body, Member current, Organization org, List<Project> known, Instant now) {
        BodyReader in = new BodyReader(body);
        in.onlyFieldsOf(MemberChange.class);
        String justification = in.text("justification", 1, 1000, true);
        OrgRole orgRole = OrgRole.find(in.oneOf("orgRole", ORG_ROLES, current.orgRole().json())).orElse(null);
        Map<String, ProjectRole> projects = projects(in, known, current.projects());
        Instant accessEndsAt = accessEndsAt(in, org, current.accessEndsAt(), now);
        List<String> stakeholders = stakeholders(in, current.stakeholders());
        if (orgRole == OrgRole.MEMBER && projects != null && projects.isEmpty()) {
            in.error("/projects", "a member needs at least one project");
        }
        in.throwIfInvalid();
        return new MemberChange(orgRole, projects, accessEndsAt, stakeholders, justification);
    }

    private static Map<String, ProjectRole> projects(BodyReader in, List<Project> known, Map<String, ProjectRole> current) {
        JsonNode node = in.node("projects");
        if (node == null) {
            return current;
        }
        if (!node.isObject()) {
            in.error("/projects", "must be an object {projectId: role}");
            return current;
        }
        Map<String, Project> byId = known.stream().collect(Collectors.toMap(Project::id, Function.identity()));
        Map<String, ProjectRole> projects = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            Project p = byId.get(e.getKey());
            Optional<ProjectRole> role = e.getValue().isTextual() ? ProjectRole.find(e.getValue().asText()) : Optional.empty();
            if (p == null) {
                in.error("/projects/" + e.getKey(), "is not a project of this organization");
            } else if (p.archived() && !current.containsKey(e.getKey())) {
                in.error("/projects/" + e.getKey(), "is archived; unarchive it or choose another project");
            } else if (role.isEmpty()) {
                in.error("/projects/" + e.getKey(), "must be one of analyst, manager, viewer");
            } else {
                projects.put(e.getKey(), role.get());
            }
        });
        return projects;
    }

    private static Instant accessEndsAt(BodyReader in, Organization org, Instant current, Instant now) {
        if (!in.has("accessEndsAt")) {
            return current;
        }
        JsonNode node = in.node("accessEndsAt");
        if (node == null) {
            if (org.settings().requireAccessEndDate()) {
                in.error("/accessEndsAt", "is required by this organization");
            }
            return null;
        }
        try {
            Instant at = Timestamps.parse(node.asText());
            if (!at.isAfter(now)) {
                in.error("/accessEndsAt", "must be in the future");
            } else if (at.isAfter(now.plus(Duration.ofDays(org.settings().maxAccessDays())))) {
                in.error("/accessEndsAt", "must be within " + org.settings().maxAccessDays() + " days");
            }
            return at;
        } catch (DateTimeParseException e) {
            in.error("/accessEndsAt", "must be an ISO-8601 UTC time like 2026-12-31T00:00:00Z, or null for no end");
            return current;
        }
    }

    private static List<String> stakeholders(BodyReader in, List<String> current) {
        JsonNode node = in.node("stakeholders");
        if (node == null) {
            return current;
        }
        Set<String> all = new LinkedHashSet<>();
        if (!node.isArray() || node.size() > 10) {
            in.error("/stakeholders", "must be a list of at most 10 email addresses");
            return current;
        }
        for (int i = 0; i < node.size(); i++) {
            String problem = node.get(i).isTextual() ? EmailAddress.problem(node.get(i).asText()) : "must be a string";
            if (problem != null) {
                in.error("/stakeholders/" + i, problem);
            } else {
                all.add(node.get(i).asText().trim());
            }
        }
        return List.copyOf(all);
    }
}
