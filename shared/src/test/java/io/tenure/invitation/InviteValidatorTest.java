package io.tenure.invitation;

import static io.tenure.TestJson.json;

import io.tenure.value.ProjectRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenure.error.FieldError;
import io.tenure.error.ValidationFailedException;
import io.tenure.org.OrgSettings;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InviteValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");
    private static final Project WEB = new Project("prj_web", "org_1", "Web", "production", "web", false, null, NOW, NOW, 1);
    private static final Project OLD = new Project("prj_old", "org_1", "Old", "production", "web", true, null, NOW, NOW, 1);
    private static final List<Project> PROJECTS = List.of(WEB, OLD);

    private static Organization org(String settingsJson) {
        OrgSettings settings = OrgSettings.defaults().with(json(settingsJson), "/settings");
        return new Organization("org_1", "Acme", "acme", settings, NOW, NOW, 1);
    }

    @Test
    void aGoodBodyPassesWithItsWarnings() {
        InviteRequest request = InviteValidator.validate(org("{}"), PROJECTS,
                json("{\"email\":\" Ana@Partner.io \",\"orgRole\":\"admin\"}"), NOW);

        assertThat(request.email()).isEqualTo("Ana@Partner.io");
        assertThat(request.emailKey()).isEqualTo("ana@partner.io");
        assertThat(request.expiresInDays()).isEqualTo(7);
        assertThat(request.warnings()).extracting(Warning::code).containsExactly("broad_role", "no_end_date");
    }

    @Test
    void internalAddressesNeedNoEndDate() {
        InviteRequest request = InviteValidator.validate(org("{\"internalDomains\":[\"acme.com\"]}"), PROJECTS,
                json("{\"email\":\"bo@acme.com\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"prj_web\",\"role\":\"viewer\"}]}"), NOW);
        assertThat(request.warnings()).isEmpty();
    }

    @Test
    void eachBrokenRuleNamesItsField() {
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"prj_nope\",\"role\":\"viewer\"}]}"))
                .containsExactly("/projects/0/projectId");
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"prj_old\",\"role\":\"viewer\"}]}"))
                .containsExactly("/projects/0/projectId");
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"prj_web\",\"role\":\"owner\"}]}"))
                .containsExactly("/projects/0/role");
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"orgRole\":\"owner\"}")).containsExactly("/orgRole");
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\\r\\nBcc: x@y.io\",\"orgRole\":\"admin\"}")).containsExactly("/email");
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"orgRole\":\"member\"}")).containsExactly("/projects");
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"orgRole\":\"admin\",\"accessEndsAt\":\"2020-01-01T00:00:00Z\"}"))
                .containsExactly("/accessEndsAt");
        assertThat(errors(org("{\"maxAccessDays\":30}"), "{\"email\":\"a@b.io\",\"orgRole\":\"admin\",\"accessEndsAt\":\"2027-06-01T00:00:00Z\"}"))
                .containsExactly("/accessEndsAt");
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"orgRole\":\"admin\",\"expiresInDays\":31}")).containsExactly("/expiresInDays");
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"orgRole\":\"admin\",\"colour\":\"red\"}")).containsExactly("/colour");
    }

    /** Found by checking exchanges against openapi.yaml: unknown fields inside the note and a grant were dropped quietly. */
    @Test
    void anUnknownFieldInsideTheNoteOrAGrantIsNamedToo() {
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"orgRole\":\"admin\",\"note\":{\"justification\":\"x\",\"version\":2}}"))
                .containsExactly("/note/version");
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"prj_web\",\"role\":\"viewer\",\"until\":1}]}"))
                .containsExactly("/projects/0/until");
    }

    @Test
    void orgRulesApply() {
        assertThat(errors(org("{\"requireJustification\":true}"), "{\"email\":\"a@b.io\",\"orgRole\":\"admin\"}"))
                .containsExactly("/note/justification");
        assertThat(errors(org("{\"requireAccessEndDate\":true}"), "{\"email\":\"a@b.io\",\"orgRole\":\"admin\"}"))
                .containsExactly("/accessEndsAt");
        assertThat(errors(org("{\"allowedEmailDomains\":[\"acme.com\"]}"), "{\"email\":\"a@b.io\",\"orgRole\":\"admin\"}"))
                .containsExactly("/email");
        assertThat(errors(org("{\"blockConsumerDomains\":true}"), "{\"email\":\"a@gmail.com\",\"orgRole\":\"admin\"}"))
                .containsExactly("/email");
        assertThat(errors(org("{\"emailPattern\":\"^analytics-\",\"emailPatternMode\":\"enforce\"}"), "{\"email\":\"a@b.io\",\"orgRole\":\"admin\"}"))
                .containsExactly("/email");
        InviteRequest warned = InviteValidator.validate(org("{\"emailPattern\":\"^analytics-\"}"), PROJECTS,
                json("{\"email\":\"a@b.io\",\"orgRole\":\"admin\"}"), NOW);
        assertThat(warned.warnings()).extracting(Warning::code).contains("email_pattern_mismatch");
    }

    @Test
    void roleTemplatesGrantTheirRoles() {
        InviteRequest request = InviteValidator.validate(org("{}"), PROJECTS,
                json("{\"email\":\"a@b.io\",\"template\":\"analytics\",\"projectIds\":[\"prj_web\"]}"), NOW);
        assertThat(request.orgRole().json()).isEqualTo("member");
        assertThat(request.projects()).containsExactly(new ProjectGrant("prj_web", ProjectRole.ANALYST));
        assertThat(errors(org("{}"), "{\"email\":\"a@b.io\",\"template\":\"nope\"}")).containsExactly("/template");
    }

    @Test
    void aPatternTooComplexToRunOnTheAddressIsAMismatchNotAHang() {
        String body = "{\"email\":\"fz-" + "a".repeat(40) + "@partner.example\",\"orgRole\":\"admin\"}";
        assertThat(errors(org("{\"emailPattern\":\"(.*a){12}$\",\"emailPatternMode\":\"enforce\"}"), body)).containsExactly("/email");
        InviteRequest warned = InviteValidator.validate(org("{\"emailPattern\":\"(.*a){12}$\"}"), PROJECTS, json(body), NOW);
        assertThat(warned.warnings()).filteredOn(w -> w.code().equals("email_pattern_mismatch"))
                .singleElement().satisfies(w -> assertThat(w.message()).contains("too complex"));
    }

    private static List<String> errors(Organization org, String body) {
        try {
            InviteValidator.validate(org, PROJECTS, json(body), NOW);
        } catch (ValidationFailedException e) {
            return e.errors().stream().map(FieldError::pointer).toList();
        }
        return List.of();
    }

    @Test
    void settingsAreValidatedToo() {
        assertThatThrownBy(() -> org("{\"invitationTtlDays\":0}")).isInstanceOf(ValidationFailedException.class);
    }
}
