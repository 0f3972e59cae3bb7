package io.tenure.org;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.error.FieldError;
import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An org's settings (SPEC §9); every field has the spec's default.
 *
 * @param keepInvitationsOfDepartedInviters beyond the spec, off by default: when an inviter is
 *        removed or their access ends, their pending invitations normally go with them; an org
 *        that turns this on keeps them, and they can still be accepted
 * @param removeAfterInactiveDays issue 14, off ({@code null}) by default: a collaborator (a member
 *        someone invited) with no recorded activity for this many days since their last activity
 *        (or their acceptance) is removed, after a warning to them and their inviter 7 days before
 * @param invitationRequests issue 14, {@code off} by default: who besides admins may ask for an
 *        invitation for an admin to approve: {@code managers} (project managers, for their own
 *        projects) or {@code members} (any member)
 * @param invitationRequestDays how long a request waits for a decision before it expires (14 by default)
 * @param requireSecondApproval issue 14, off by default: an invitation that grants the admin role
 *        or goes to an address outside {@code internalDomains} waits for a second admin's approval,
 *        even when an admin made it
 * @param reviewsByProjectManagers issue 14, off by default: in each access review, a project
 *        manager reviews the members whose every project is one they manage (admins review everyone)
 * @param ssoDomains issue 15, none by default: lower-cased domains whose addresses sign in with the
 *        org's SSO ({@link SignIn#of})
 * @param ssoLoginUrl issue 15: where {@code ssoDomains} addresses sign in; null: {@code loginUrl}
 */
public record OrgSettings(
        int invitationTtlDays,
        int maxAccessDays,
        boolean requireAccessEndDate,
        boolean requireJustification,
        List<String> internalDomains,
        List<String> allowedEmailDomains,
        boolean blockConsumerDomains,
        String emailPattern,
        String emailPatternMode,
        int invitesPerDay,
        List<String> defaultStakeholders,
        String loginUrl,
        String loginMethod,
        String supportContact,
        List<WelcomeLink> welcomeLinks,
        int auditRetentionDays,
        Map<String, RoleTemplate> roleTemplates,
        boolean keepInvitationsOfDepartedInviters,
        Integer removeAfterInactiveDays,
        String invitationRequests,
        Integer invitationRequestDays,
        boolean requireSecondApproval,
        boolean reviewsByProjectManagers,
        List<String> ssoDomains,
        String ssoLoginUrl) {

    /** Who may request invitations (values of {@code invitationRequests}). */
    public static final String REQUESTS_OFF = "off";
    public static final String REQUESTS_BY_MANAGERS = "managers";
    public static final String REQUESTS_BY_MEMBERS = "members";
    private static final int DEFAULT_REQUEST_DAYS = 14;

    /** Settings stored before a field existed read as its default. */
    public OrgSettings {
        invitationRequests = invitationRequests == null ? REQUESTS_OFF : invitationRequests;
        invitationRequestDays = invitationRequestDays == null ? DEFAULT_REQUEST_DAYS : invitationRequestDays;
        ssoDomains = ssoDomains == null ? List.of() : ssoDomains;
    }

    private static final Set<String> FIELDS = Set.of("invitationTtlDays", "maxAccessDays", "requireAccessEndDate",
            "requireJustification", "internalDomains", "allowedEmailDomains", "blockConsumerDomains", "emailPattern",
            "emailPatternMode", "invitesPerDay", "defaultStakeholders", "loginUrl", "loginMethod", "supportContact",
            "welcomeLinks", "auditRetentionDays", "roleTemplates", "keepInvitationsOfDepartedInviters", "removeAfterInactiveDays",
            "invitationRequests", "invitationRequestDays", "requireSecondApproval", "reviewsByProjectManagers", "ssoDomains", "ssoLoginUrl");
    /** The settings a {@code null} clears; for the others {@code null} is the same as leaving them out. */
    private static final Set<String> CLEARED_BY_NULL = Set.of("emailPattern", "loginUrl", "loginMethod", "supportContact",
            "removeAfterInactiveDays", "ssoLoginUrl");
    private static final Pattern DOMAIN = Pattern.compile("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");

    public static OrgSettings defaults() {
        return new OrgSettings(7, 365, false, false, List.of(), List.of(), false, null, "warn", 50, List.of(),
                null, null, null, List.of(), 400, Map.of(), false, null, REQUESTS_OFF, DEFAULT_REQUEST_DAYS, false, false, List.of(), null);
    }

    /**
     * The canonical form of an address in this org, which finds its variants
     * ({@link io.tenure.value.EmailAddress#canonical(String, java.util.Collection)}): on an SSO
     * domain dots do not count either (issue 15).
     */
    public String canonical(String emailKey) {
        return io.tenure.value.EmailAddress.canonical(emailKey, ssoDomains);
    }

    /** The role template of that name: the org's own first, then the built-in ones. */
    public RoleTemplate roleTemplate(String name) {
        RoleTemplate own = roleTemplates == null ? null : roleTemplates.get(name);
        return own != null ? own : RoleTemplate.BUILT_IN.get(name);
    }

    /**
     * These settings with the given fields replaced, validated as a whole. Each broken rule is an
     * error whose pointer starts with {@code pointer} (e.g. {@code /settings}).
     */
    public OrgSettings with(JsonNode patch, String pointer) {
        List<FieldError> errors = new ArrayList<>();
        if (patch == null || patch.isNull()) {
            return this;
        }
        if (!patch.isObject()) {
            throw ValidationFailedException.of(pointer, "must be an object");
        }
        ObjectNode changes = ((ObjectNode) patch).deepCopy();
        List<String> leftOut = new ArrayList<>();
        changes.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(pointer + "/" + name, "is not a known setting"));
            } else if (changes.get(name).isNull() && !CLEARED_BY_NULL.contains(name)) {
                // null is the field left out (openapi.yaml's conventions), except where null clears a value.
                leftOut.add(name);
            }
        });
        changes.remove(leftOut);
        unknownInside(changes, pointer, errors);
        ObjectNode merged = Json.tree(this);
        merged.setAll(changes);
        OrgSettings next;
        try {
            next = Json.readStrict(merged, OrgSettings.class);
        } catch (JsonMappingException e) {
            StringBuilder at = new StringBuilder(pointer);
            for (JsonMappingException.Reference step : e.getPath()) {
                at.append('/').append(step.getFieldName() != null ? step.getFieldName() : String.valueOf(step.getIndex()));
            }
            errors.add(new FieldError(at.toString(), "has a value of the wrong type"));
            throw new ValidationFailedException(errors);
        } catch (RuntimeException e) {
            errors.add(new FieldError(pointer, "has a value of the wrong type"));
            throw new ValidationFailedException(errors);
        }
        next.check(pointer, errors);
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
        return next.normalized();
    }

    /** Fields inside a role template or a welcome link that are not theirs (Jackson would drop them quietly). */
    private static void unknownInside(ObjectNode changes, String pointer, List<FieldError> errors) {
        JsonNode templates = changes.get("roleTemplates");
        if (templates != null && templates.isObject()) {
            templates.fields().forEachRemaining(t -> unknownFields(t.getValue(), pointer + "/roleTemplates/" + t.getKey(),
                    Set.of("orgRole", "projectRole"), errors));
        }
        JsonNode links = changes.get("welcomeLinks");
        for (int i = 0; links != null && links.isArray() && i < links.size(); i++) {
            unknownFields(links.get(i), pointer + "/welcomeLinks/" + i, Set.of("title", "url"), errors);
        }
    }

    private static void unknownFields(JsonNode object, String pointer, Set<String> known, List<FieldError> errors) {
        if (object != null && object.isObject()) {
            object.fieldNames().forEachRemaining(name -> {
                if (!known.contains(name)) {
                    errors.add(new FieldError(pointer + "/" + name, "is not a known field"));
                }
            });
        }
    }

    private void check(String p, List<FieldError> errors) {
        range(errors, p + "/invitationTtlDays", invitationTtlDays, 1, 30);
        range(errors, p + "/maxAccessDays", maxAccessDays, 1, 3650);
        range(errors, p + "/invitesPerDay", invitesPerDay, 1, 500);
        range(errors, p + "/auditRetentionDays", auditRetentionDays, 1, 3650);
        if (removeAfterInactiveDays != null) {
            // More than the 7 days' warning, so a collaborator is warned after some inactivity, not at once.
            range(errors, p + "/removeAfterInactiveDays", removeAfterInactiveDays, 14, 3650);
        }
        domains(errors, p + "/internalDomains", internalDomains);
        domains(errors, p + "/allowedEmailDomains", allowedEmailDomains);
        domains(errors, p + "/ssoDomains", ssoDomains);
        if (ssoDomains != null && ssoDomains.size() > 50) {
            errors.add(new FieldError(p + "/ssoDomains", "must list at most 50 domains"));
        }
        if (ssoLoginUrl != null && !ssoLoginUrl.startsWith("https://") && !ssoLoginUrl.startsWith("http://")) {
            errors.add(new FieldError(p + "/ssoLoginUrl", "must be an http(s) URL"));
        }
        if (!"warn".equals(emailPatternMode) && !"enforce".equals(emailPatternMode)) {
            errors.add(new FieldError(p + "/emailPatternMode", "must be warn or enforce"));
        }
        if (emailPattern != null) {
            try {
                Pattern.compile(emailPattern);
            } catch (PatternSyntaxException e) {
                errors.add(new FieldError(p + "/emailPattern", "is not a valid regular expression"));
            }
        }
        if (!Set.of(REQUESTS_OFF, REQUESTS_BY_MANAGERS, REQUESTS_BY_MEMBERS).contains(invitationRequests)) {
            errors.add(new FieldError(p + "/invitationRequests", "must be off, managers or members"));
        }
        range(errors, p + "/invitationRequestDays", invitationRequestDays, 1, 90);
        if (loginMethod != null && !Set.of("password", "google", "sso").contains(loginMethod)) {
            errors.add(new FieldError(p + "/loginMethod", "must be password, google or sso"));
        }
        if (loginUrl != null && !loginUrl.startsWith("https://") && !loginUrl.startsWith("http://")) {
            errors.add(new FieldError(p + "/loginUrl", "must be an http(s) URL"));
        }
        for (int i = 0; welcomeLinks != null && i < welcomeLinks.size(); i++) {
            WelcomeLink link = welcomeLinks.get(i);
            if (link == null || link.title() == null || link.title().isBlank() || link.url() == null
                    || !(link.url().startsWith("https://") || link.url().startsWith("http://"))) {
                errors.add(new FieldError(p + "/welcomeLinks/" + i, "needs a title and an http(s) url"));
            }
        }
        for (int i = 0; defaultStakeholders != null && i < defaultStakeholders.size(); i++) {
            if (!io.tenure.value.EmailAddress.isValid(defaultStakeholders.get(i))) {
                errors.add(new FieldError(p + "/defaultStakeholders/" + i, "is not a valid email address"));
            }
        }
        if (roleTemplates != null) {
            roleTemplates.forEach((name, t) -> {
                String at = p + "/roleTemplates/" + name;
                if (name.isBlank() || name.length() > 64) {
                    // DynamoDB refuses an empty map key; a template is chosen by its name, so it needs one.
                    errors.add(new FieldError(at, "needs a name of 1 to 64 characters, not all spaces"));
                    return;
                }
                Optional<OrgRole> orgRole = t == null ? Optional.empty() : OrgRole.find(t.orgRole());
                if (orgRole.isEmpty()) {
                    errors.add(new FieldError(at + "/orgRole", "must be admin or member"));
                } else if (orgRole.get() == OrgRole.MEMBER && t.projectRole() == null
                        || t.projectRole() != null && ProjectRole.find(t.projectRole()).isEmpty()) {
                    // An admin template needs no project role (admins manage every project), but one given must be a role.
                    errors.add(new FieldError(at + "/projectRole", "must be manager, analyst or viewer"));
                }
            });
        }
    }

    private OrgSettings normalized() {
        return new OrgSettings(invitationTtlDays, maxAccessDays, requireAccessEndDate, requireJustification,
                lower(internalDomains), lower(allowedEmailDomains), blockConsumerDomains, emailPattern, emailPatternMode,
                invitesPerDay, trimmed(defaultStakeholders), loginUrl,
                loginMethod, supportContact, welcomeLinks == null ? List.of() : List.copyOf(welcomeLinks),
                auditRetentionDays, roleTemplates == null ? Map.of() : Map.copyOf(roleTemplates), keepInvitationsOfDepartedInviters,
                removeAfterInactiveDays, invitationRequests, invitationRequestDays, requireSecondApproval, reviewsByProjectManagers,
                lower(ssoDomains), ssoLoginUrl);
    }

    /** Addresses as pasted: the spaces around them are not part of the address (SPEC: email as given, trimmed). */
    private static List<String> trimmed(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::trim).toList();
    }

    private static List<String> lower(List<String> values) {
        return values == null ? List.of() : values.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).toList();
    }

    private static void range(List<FieldError> errors, String pointer, int value, int min, int max) {
        if (value < min || value > max) {
            errors.add(new FieldError(pointer, "must be between " + min + " and " + max));
        }
    }

    private static void domains(List<FieldError> errors, String pointer, List<String> values) {
        for (int i = 0; values != null && i < values.size(); i++) {
            String v = values.get(i);
            if (v == null || !DOMAIN.matcher(v.trim().toLowerCase(Locale.ROOT)).matches()) {
                errors.add(new FieldError(pointer + "/" + i, "is not a domain name"));
            }
        }
    }
}
