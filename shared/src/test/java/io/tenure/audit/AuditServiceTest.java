package io.tenure.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenure.TestClock;
import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.org.OrgService;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.store.Page;
import io.tenure.store.Table;
import io.tenure.store.TestTable;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** AuditService's query parameters on DynamoDB Local. */
class AuditServiceTest {
    private static final Caller ADMIN = new Caller("sub-a", "admin@acme.com", "admin@acme.com", true);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-24T09:00:00Z"));
    private final Table table = TestTable.create();
    private final MemberAccess access = new MemberAccess(table, clock);
    private final OrgService orgs = new OrgService(new OrgStore(table), new MemberStore(table), access,
            new AuditLog(table.name()), clock);
    private final AuditService audit = new AuditService(new AuditStore(table), access);
    private final Organization org = orgs.create(ADMIN, (com.fasterxml.jackson.databind.node.ObjectNode)
            Json.MAPPER.valueToTree(java.util.Map.of("name", "Acme")), new RequestOrigin("r", null, null));

    @Test
    void timesOutsideWhatAuditIdsCanHoldAreRefusedNamingTheParameter() {
        assertRefused("1960-01-01T00:00:00Z", null, null, "/since");
        assertRefused("+100000-01-01T00:00:00Z", null, null, "/since");
        // Until before 1970 once read as "everything"; it is refused.
        assertRefused(null, "1969-12-31T23:59:59Z", null, "/until");
        assertRefused("2026-11-25T00:00:00Z", "2026-11-24T00:00:00Z", null, "/since");
        assertThat(audit.list(ADMIN, org.id(), "2026-11-24T09:00:00Z", "2026-11-24T09:00:00Z", null, null, 50, null).items())
                .hasSize(1);
        assertThat(audit.list(ADMIN, org.id(), "1970-01-01T00:00:00Z", null, null, null, 50, null).items()).hasSize(1);
    }

    @Test
    void aCursorThatIsNotOneOfThisQueryIsRefused() {
        assertRefused(null, null, "enp6eg", "/cursor");
        assertRefused(null, null, "%%%", "/cursor");
        assertRefused(null, null, Page.encodeCursor("AUD#"), "/cursor");
    }

    private void assertRefused(String since, String until, String cursor, String pointer) {
        assertThatThrownBy(() -> audit.list(ADMIN, org.id(), since, until, null, null, 50, cursor))
                .isInstanceOfSatisfying(ValidationFailedException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.pointer()).isEqualTo(pointer)));
    }
}
