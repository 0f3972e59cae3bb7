package io.tenure.invitation;

import io.tenure.value.EmailAddress;
import io.tenure.value.InvitationNote;
import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.org.OrgSettings;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import io.tenure.org.RoleTemplate;
import io.tenure.validation.BodyReader;
import io.tenure.validation.BoundedRegex;
import io.tenure.validation.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules of an invitation body (SPEC §5, §9). Pure: it reads the org and its projects and
 * writes nothing, so a refused request stores nothing.
 */
public final class InviteValidator {
    static final Set<String> FIELDS = Set.of("email", "orgRole", "projects", "template", "projectIds", "note",
            "accessEndsAt", "expiresInDays", "stakeholders", "replaceExisting");
    private static final Set<String> ORG_ROLES = Set.copyOf(OrgRole.jsonNames());
    private static final int MAX_PROJECTS = 100;
    private static final int MAX_STAKEHOLDERS = 10;

    private InviteValidator() {
    }

    /**
     * The project ids a body names ({@code projects[].projectId} or {@code projectIds[]}), distinct,
     * so they can be read with the org before the body is checked; shapes are left to
     * {@link #validate}, which refuses any id not among the projects it is given.
     */
    static Set<String> namedProjectIds(ObjectNode body) {
        Set<String> ids = new LinkedHashSet<>();
        JsonNode grants = body.get("projects");
        if (grants != null && grants.isArray()) {
            grants.forEach(grant -> {
                JsonNode id = grant.get("projectId");
                if (id != null && id.isTextual()) {
                    ids.add(id.asText());
                }
            });
        }
        JsonNode listed = body.get("projectIds");
        if (listed != null && listed.isArray()) {
            listed.forEach(id -> {
                if (id.isTextual()) {
                    ids.add(id.asText());
                }
            });
        }
        return ids;
    }

    /** The address key of the body's email when it is a valid address, else null. */
    static String emailKeyOf(ObjectNode body) {
        JsonNode email = body.get("email");
        return email != null && email.isTextual() && EmailAddress.problem(email.asText()) == null
                ? EmailAddress.key(email.asText()) : null;
    }

    public static InviteRequest validate(Organization org, List<Project> projects, ObjectNode body, Instant now) {
        OrgSettings settings = org.settings();
        BodyReader in = new BodyReader(body);
        List<Warning> warnings = new ArrayList<>();
        in.onlyFields(FIELDS);

        String email = email(in, settings, warnings);

        OrgRole orgRole;
        List<ProjectGrant> grants;
        if (in.node("template") != null) {
            if (in.node("projects") != null || in.node("orgRole") != null) {
                in.error("/template", "cannot be combined with orgRole or projects");
            }
            String name = in.text("template", 1, 64, true);
            RoleTemplate template = name == null ? null : settings.roleTemplate(name);
            if (name != null && template == null) {
                in.error("/template", "is not a role template of this organization");
            }
            orgRole = template == null ? null : template.grantsOrgRole();
            grants = templateGrants(in, template);
        } else {
            orgRole = OrgRole.find(in.oneOf("orgRole", ORG_ROLES, null)).orElse(null);
            grants = projectGrants(in);
        }
        checkProjects(in, grants, projects);
        if (orgRole == OrgRole.MEMBER && grants != null && grants.isEmpty() && !in.hasErrors()) {
            in.error("/projects", "a member needs at least one project");
        }

        InvitationNote note = note(in, settings);
        Instant accessEndsAt = accessEndsAt(in, settings, now);
        int expiresInDays = in.integer("expiresInDays", 1, 30, settings.invitationTtlDays());
        List<String> stakeholders = stakeholders(in, settings);
        boolean replaceExisting = in.bool("replaceExisting", false);
        in.throwIfInvalid();

        if (orgRole == OrgRole.ADMIN) {
            warnings.add(Warning.of("broad_role", "The admin role manages every project, member and setting of the organization."));
        }
        String domain = EmailAddress.domain(email);
        if (accessEndsAt == null && !settings.internalDomains().contains(domain)) {
            warnings.add(Warning.of("no_end_date", "This address is outside the organization's internal domains and the access has no end date."));
        }
        return new InviteRequest(email, EmailAddress.key(email), orgRole, grants == null ? List.of() : grants, note,
                accessEndsAt, expiresInDays, stakeholders, replaceExisting, warnings);
    }

    /**
     * A pending invitation's corrected address ({@code PATCH}, issue 15): {@code email}, checked
     * as an invite checks it, and a {@code justification}.
     */
    static Correction correction(OrgSettings settings, ObjectNode body) {
        BodyReader in = new BodyReader(body);
        List<Warning> warnings = new ArrayList<>();
        in.onlyFields(Set.of("email", "justification"));
        String email = email(in, settings, warnings);
        String justification = in.text("justification", 1, 500, true);
        in.throwIfInvalid();
        return new Correction(email, EmailAddress.key(email), justification, warnings);
    }

    /** A checked address correction, with the warnings its address gets. */
    record Correction(String email, String emailKey, String justification, List<Warning> warnings) {
    }

    private static String email(BodyReader in, OrgSettings settings, List<Warning> warnings) {
        JsonNode node = in.node("email");
        if (node == null || !node.isTextual()) {
            in.error("/email", node == null ? "is required" : "must be a string");
            return null;
        }
        String problem = EmailAddress.problem(node.asText());
        if (problem != null) {
            in.error("/email", problem);
            return null;
        }
        String email = node.asText().trim();
        String domain = EmailAddress.domain(email);
        if (!settings.allowedEmailDomains().isEmpty() && !settings.allowedEmailDomains().contains(domain)) {
            // Only the allowed domains may be meant here, never a provider they do not allow.
            String meant = DomainTypos.closestOf(domain, settings.allowedEmailDomains()).orElse(null);
            in.error("/email", "must be in one of the organization's allowed domains: " + String.join(", ", settings.allowedEmailDomains())
                    + (meant == null ? "" : "; did you mean " + email.substring(0, email.lastIndexOf('@') + 1) + meant + "?"));
        } else if (settings.blockConsumerDomains() && EmailAddress.CONSUMER_DOMAINS.contains(domain)) {
            in.error("/email", "must not be a free consumer mailbox; this organization blocks them");
        }
        BoundedRegex.Result match = settings.emailPattern() == null ? BoundedRegex.Result.MATCHES
                : BoundedRegex.find(Pattern.compile(settings.emailPattern()), email);
        if (match != BoundedRegex.Result.MATCHES) {
            // A pattern too complex to run on this address is not a match: enforced, the invitation waits for a simpler one.
            String tooComplex = match == BoundedRegex.Result.TOO_COMPLEX
                    ? " (the pattern is too complex to check on this address; an admin should simplify it)" : "";
            if ("enforce".equals(settings.emailPatternMode())) {
                in.error("/email", "must match the organization's address pattern " + settings.emailPattern() + tooComplex);
            } else {
                warnings.add(Warning.of("email_pattern_mismatch", "The address does not match the organization's pattern "
                        + settings.emailPattern() + tooComplex + "."));
            }
        }
        io.tenure.org.SignIn signIn = io.tenure.org.SignIn.of(settings, EmailAddress.key(email));
        if (signIn.outsideSso()) {
            warnings.add(Warning.of("outside_sso_domain", "The organization signs in with SSO, but " + domain
                    + " is not one of its SSO domains (" + String.join(", ", settings.ssoDomains()) + "): this collaborator will sign in with an"
                    + " email and password" + (signIn.url() == null ? "." : " at " + signIn.url() + ".")));
        }
        return email;
    }

    private static List<ProjectGrant> projectGrants(BodyReader in) {
        JsonNode node = in.node("projects");
        if (node == null) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_PROJECTS) {
            in.error("/projects", "must be a list of at most " + MAX_PROJECTS + " {projectId, role}");
            return null;
        }
        List<ProjectGrant> grants = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = "/projects/" + i;
            if (!item.isObject()) {
                in.error(at, "must be an object {projectId, role}");
                continue;
            }
            in.onlyFieldsOf(item, at, ProjectGrant.class);
            String projectId = in.text(item, at + "/projectId", "projectId", 1, 64, true);
            JsonNode roleNode = item.get("role");
            ProjectRole role = roleNode != null && roleNode.isTextual() ? ProjectRole.find(roleNode.asText()).orElse(null) : null;
            if (role == null) {
                in.error(at + "/role", "must be one of analyst, manager, viewer");
            }
            // Kept even with a bad role, so the project itself is checked too and one 422 names both.
            grants.add(new ProjectGrant(projectId, role));
        }
        return grants;
    }

    private static List<ProjectGrant> templateGrants(BodyReader in, RoleTemplate template) {
        JsonNode node = in.node("projectIds");
        if (node == null) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_PROJECTS) {
            in.error("/projectIds", "must be a list of at most " + MAX_PROJECTS + " project ids");
            return null;
        }
        List<ProjectGrant> grants = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode id = node.get(i);
            if (!id.isTextual()) {
                in.error("/projectIds/" + i, "must be a project id");
            } else if (template != null && template.projectRole() != null) {
                grants.add(new ProjectGrant(id.asText(), template.grantsProjectRole()));
            }
        }
        return grants;
    }

    private static void checkProjects(BodyReader in, List<ProjectGrant> grants, List<Project> projects) {
        if (grants == null) {
            return;
        }
        boolean fromTemplate = in.node("template") != null;
        Map<String, Project> byId = projects.stream().collect(Collectors.toMap(Project::id, Function.identity()));
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < grants.size(); i++) {
            String projectId = grants.get(i).projectId();
            String at = fromTemplate ? "/projectIds/" + i : "/projects/" + i + "/projectId";
            Project project = projectId == null ? null : byId.get(projectId);
            if (projectId == null) {
                continue;
            } else if (project == null) {
                in.error(at, "is not a project of this organization");
            } else if (project.archived()) {
                in.error(at, "is archived; unarchive it or choose another project");
            } else if (!seen.add(projectId)) {
                in.error(at, "is listed twice");
            }
        }
    }

    private static InvitationNote note(BodyReader in, OrgSettings settings) {
        JsonNode node = in.node("note");
        if (node != null && !node.isObject()) {
            in.error("/note", "must be an object {engagement, reference, justification}");
            node = null;
        }
        in.onlyFieldsOf(node, "/note", InvitationNote.class);
        String engagement = in.text(node, "/note/engagement", "engagement", 0, 200, false);
        String reference = in.text(node, "/note/reference", "reference", 0, 200, false);
        String justification = in.text(node, "/note/justification", "justification", 0, 1000, false);
        if (settings.requireJustification() && (justification == null || justification.isBlank())) {
            in.error("/note/justification", "is required by this organization");
        }
        if (engagement == null && reference == null && justification == null) {
            return null;
        }
        return new InvitationNote(engagement, reference, justification);
    }

    private static Instant accessEndsAt(BodyReader in, OrgSettings settings, Instant now) {
        JsonNode node = in.node("accessEndsAt");
        if (node == null) {
            if (settings.requireAccessEndDate()) {
                in.error("/accessEndsAt", "is required by this organization");
            }
            return null;
        }
        Instant at;
        try {
            at = Timestamps.parse(node.asText());
        } catch (DateTimeParseException e) {
            in.error("/accessEndsAt", "must be an ISO-8601 UTC time like 2026-12-31T00:00:00Z");
            return null;
        }
        if (!node.isTextual()) {
            in.error("/accessEndsAt", "must be a string");
        } else if (!at.isAfter(now)) {
            in.error("/accessEndsAt", "must be in the future");
        } else if (at.isAfter(now.plus(Duration.ofDays(settings.maxAccessDays())))) {
            in.error("/accessEndsAt", "must be within " + settings.maxAccessDays() + " days");
        }
        return at;
    }

    private static List<String> stakeholders(BodyReader in, OrgSettings settings) {
        Set<String> all = new LinkedHashSet<>(settings.defaultStakeholders());
        JsonNode node = in.node("stakeholders");
        if (node != null) {
            if (!node.isArray() || node.size() > MAX_STAKEHOLDERS) {
                in.error("/stakeholders", "must be a list of at most " + MAX_STAKEHOLDERS + " email addresses");
            } else {
                for (int i = 0; i < node.size(); i++) {
                    JsonNode item = node.get(i);
                    String problem = item.isTextual() ? EmailAddress.problem(item.asText()) : "must be a string";
                    if (problem != null) {
                        in.error("/stakeholders/" + i, problem);
                    } else {
                        all.add(item.asText().trim());
                    }
                }
            }
        }
        return List.copyOf(all);
    }
}
