package io.tenure.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.VersionMismatchException;
import io.tenure.json.Json;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.store.Table;
import io.tenure.store.TestTable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OrgService on DynamoDB Local. */
class OrgServiceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T09:00:00Z"), ZoneOffset.UTC);
    private static final Caller ADMIN = new Caller("sub-1", "admin@acme.com", "admin@acme.com", true);
    private static final RequestOrigin ORIGIN = new RequestOrigin("r", null, null);

    private final Table table = TestTable.create();
    private final OrgService orgs = new OrgService(new OrgStore(table), new MemberStore(table),
            new MemberAccess(table, CLOCK), new AuditLog(), CLOCK);

    @Test
    void aSlugMadeFromATakenNameGetsASuffixButAGivenOneIsRefused() {
        Organization first = orgs.create(ADMIN, body("{\"name\":\"Acme Analytics\"}"), ORIGIN);
        Organization second = orgs.create(ADMIN, body("{\"name\":\"Acme Analytics\"}"), ORIGIN);

        assertThat(first.slug()).isEqualTo("acme-analytics");
        assertThat(second.slug()).matches("acme-analytics-[a-z0-9]{4}");
        assertThatThrownBy(() -> orgs.create(ADMIN, body("{\"name\":\"Other\",\"slug\":\"acme-analytics\"}"), ORIGIN))
                .isInstanceOf(SlugTakenException.class);
    }

    @Test
    void aStaleIfMatchIsRefused() {
        Organization org = orgs.create(ADMIN, body("{\"name\":\"Acme\"}"), ORIGIN);
        Organization renamed = orgs.update(ADMIN, org.id(), body("{\"name\":\"Acme EU\"}"), 1L, ORIGIN);

        assertThat(renamed.version()).isEqualTo(2);
        assertThatThrownBy(() -> orgs.update(ADMIN, org.id(), body("{\"name\":\"Acme US\"}"), 1L, ORIGIN))
                .isInstanceOf(VersionMismatchException.class);
        assertThat(orgs.get(ADMIN, org.id()).name()).isEqualTo("Acme EU");
    }

    @Test
    void aNameWithoutLatinLettersGetsAGeneratedSlug() {
        assertThat(orgs.create(ADMIN, body("{\"name\":\"日本語の組織\"}"), ORIGIN).slug()).matches("org-[a-z0-9]{4}");
        assertThat(orgs.create(ADMIN, body("{\"name\":\"!!\"}"), ORIGIN).slug()).matches("org-[a-z0-9]{4}");
        assertThat(orgs.create(ADMIN, body("{\"name\":\"X\"}"), ORIGIN).slug()).isEqualTo("org-x");
    }

    @Test
    void aRoleTemplateWithoutANameIsRefusedNotStored() {
        // Found by FuzzEndToEndTest: DynamoDB refuses an empty map key, which answered 500.
        Organization org = orgs.create(ADMIN, body("{\"name\":\"Acme\"}"), ORIGIN);
        assertThatThrownBy(() -> orgs.update(ADMIN, org.id(),
                body("{\"settings\":{\"roleTemplates\":{\"\":{\"orgRole\":\"member\",\"projectRole\":\"viewer\"}}}}"), null, ORIGIN))
                .isInstanceOfSatisfying(io.tenure.error.ValidationFailedException.class, e -> assertThat(e.errors())
                        .extracting(io.tenure.error.FieldError::pointer).containsExactly("/settings/roleTemplates/"));
    }

    @Test
    void aRoleTemplateWithoutItsRolesIsRefusedNamingTheRole() {
        Organization org = orgs.create(ADMIN, body("{\"name\":\"Acme\"}"), ORIGIN);
        assertThatThrownBy(() -> orgs.update(ADMIN, org.id(),
                body("{\"settings\":{\"roleTemplates\":{\"t\":{\"orgRole\":\"member\"}}}}"), null, ORIGIN))
                .isInstanceOfSatisfying(io.tenure.error.ValidationFailedException.class, e -> assertThat(e.errors())
                        .extracting(io.tenure.error.FieldError::pointer).containsExactly("/settings/roleTemplates/t/projectRole"));
        assertThatThrownBy(() -> orgs.update(ADMIN, org.id(),
                body("{\"settings\":{\"roleTemplates\":{\"t\":{\"projectRole\":\"viewer\"}}}}"), null, ORIGIN))
                .isInstanceOfSatisfying(io.tenure.error.ValidationFailedException.class, e -> assertThat(e.errors())
                        .extracting(io.tenure.error.FieldError::pointer).containsExactly("/settings/roleTemplates/t/orgRole"));
    }

    @Test
    void aNullSettingIsLeftOutAndAnUnknownFieldInsideOneIsNamed() {
        Organization org = orgs.create(ADMIN, body("{\"name\":\"Acme\"}"), ORIGIN);
        assertThatThrownBy(() -> orgs.update(ADMIN, org.id(), body("{\"settings\":{\"invitationTtlDays\":null,"
                + "\"welcomeLinks\":[{\"title\":\"Docs\",\"url\":\"https://docs.example\",\"icon\":\"x\"}],"
                + "\"roleTemplates\":{\"t\":{\"orgRole\":\"admin\",\"scope\":\"all\"}}}}"), null, ORIGIN))
                .isInstanceOfSatisfying(io.tenure.error.ValidationFailedException.class, e -> assertThat(e.errors())
                        .extracting(io.tenure.error.FieldError::pointer)
                        .containsExactlyInAnyOrder("/settings/welcomeLinks/0/icon", "/settings/roleTemplates/t/scope"));
        assertThat(orgs.update(ADMIN, org.id(), body("{\"settings\":{\"invitationTtlDays\":null,\"maxAccessDays\":90}}"), null, ORIGIN)
                .settings().invitationTtlDays()).isEqualTo(7);
    }

    @Test
    void aSettingOfTheWrongJsonTypeIsNamedNotCoerced() {
        // Found by checking exchanges against openapi.yaml: 1 was read as true and 7.0 as 7.
        Organization org = orgs.create(ADMIN, body("{\"name\":\"Acme\"}"), ORIGIN);
        for (String setting : List.of("\"requireAccessEndDate\":1", "\"invitationTtlDays\":7.0", "\"invitationTtlDays\":\"7\"",
                "\"blockConsumerDomains\":\"true\"", "\"supportContact\":18446744073709551623", "\"loginMethod\":true",
                "\"emailPattern\":1.5")) {
            String field = setting.substring(1, setting.indexOf('"', 1));
            assertThatThrownBy(() -> orgs.update(ADMIN, org.id(), body("{\"settings\":{" + setting + "}}"), null, ORIGIN))
                    .as(setting).isInstanceOfSatisfying(io.tenure.error.ValidationFailedException.class, e -> assertThat(e.errors())
                            .extracting(io.tenure.error.FieldError::pointer).containsExactly("/settings/" + field));
        }
    }

    @Test
    void aDefaultStakeholderIsKeptWithoutTheSpacesPastedAroundIt() {
        // Found by the contract check: the address was checked trimmed but kept as pasted, spaces and all.
        Organization org = orgs.create(ADMIN, body("{\"name\":\"Acme\"}"), ORIGIN);
        assertThat(orgs.update(ADMIN, org.id(), body("{\"settings\":{\"defaultStakeholders\":[\" legal@acme.example \"]}}"), null, ORIGIN)
                .settings().defaultStakeholders()).containsExactly("legal@acme.example");
    }

    @Test
    void anAdminTemplatesProjectRoleMustStillBeARole() {
        // Found by checking answers against openapi.yaml: this was stored and answered back as the template.
        Organization org = orgs.create(ADMIN, body("{\"name\":\"Acme\"}"), ORIGIN);
        assertThatThrownBy(() -> orgs.update(ADMIN, org.id(),
                body("{\"settings\":{\"roleTemplates\":{\"t\":{\"orgRole\":\"admin\",\"projectRole\":\"<script>\"}}}}"), null, ORIGIN))
                .isInstanceOfSatisfying(io.tenure.error.ValidationFailedException.class, e -> assertThat(e.errors())
                        .extracting(io.tenure.error.FieldError::pointer).containsExactly("/settings/roleTemplates/t/projectRole"));
        assertThat(orgs.update(ADMIN, org.id(),
                body("{\"settings\":{\"roleTemplates\":{\"t\":{\"orgRole\":\"admin\"}}}}"), null, ORIGIN)
                .settings().roleTemplates()).containsKey("t");
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode body(String json) {
        try {
            return (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
