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
import io.tenure.store.TableKeys;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import org.junit.jupiter.api.Test;

/** AuditService's query parameters on DynamoDB Local. */
class AuditServiceTest {
    private static final Caller ADMIN = new Caller("sub-a", "admin@acme.com", "admin@acme.com", true);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-24T09:00:00Z"));
    private final Table table = TestTable.create();
    private final MemberAccess access = new MemberAccess(table, clock);
    private final OrgService orgs = new OrgService(new OrgStore(table), new MemberStore(table), access,
            new AuditLog(), clock);
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

    @Test
    void theChainHoldsAfterChangesAndNamesTheEventThatWasAlteredOrDeleted() {
        for (int i = 1; i <= 4; i++) {
            clock.advance(java.time.Duration.ofMinutes(5));
            orgs.update(ADMIN, org.id(), (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.valueToTree(
                    java.util.Map.of("name", "Acme " + i)), (long) i, new RequestOrigin("r" + i, null, null));
        }
        ChainCheck holds = audit.verify(ADMIN, org.id(), null, null);
        assertThat(holds.holds()).isTrue();
        assertThat(holds.eventsChecked()).isEqualTo(5);
        assertThat(holds.firstSeq()).isEqualTo(1L);
        assertThat(holds.lastSeq()).isEqualTo(5L);

        List<java.util.Map<String, AttributeValue>> events = TestTable.partition(table, TableKeys.Audit.pk(org.id())).stream()
                .filter(e -> e.get("sk").s().startsWith("AUD#")).toList();
        java.util.Map<String, AttributeValue> third = events.get(2);
        TestTable.client().updateItem(b -> b.tableName(table.name()).key(Table.key(third.get("pk").s(), third.get("sk").s()))
                .updateExpression("SET note = :n").expressionAttributeValues(java.util.Map.of(":n", AttributeValue.fromS("nothing happened"))));
        assertThat(audit.verify(ADMIN, org.id(), null, null).breaks()).singleElement().satisfies(b -> {
            assertThat(b.eventId()).isEqualTo(third.get("id").s());
            assertThat(b.problem()).isEqualTo(ChainCheck.Problem.ALTERED);
        });

        TestTable.client().putItem(b -> b.tableName(table.name()).item(third));
        java.util.Map<String, AttributeValue> fourth = events.get(3);
        TestTable.client().deleteItem(b -> b.tableName(table.name()).key(Table.key(fourth.get("pk").s(), fourth.get("sk").s())));
        assertThat(audit.verify(ADMIN, org.id(), null, null).breaks()).singleElement().satisfies(b -> {
            assertThat(b.eventId()).isEqualTo(events.get(4).get("id").s());
            assertThat(b.problem()).isEqualTo(ChainCheck.Problem.MISSING_BEFORE);
        });

        TestTable.client().putItem(b -> b.tableName(table.name()).item(fourth));
        java.util.Map<String, AttributeValue> newest = events.get(4);
        TestTable.client().deleteItem(b -> b.tableName(table.name()).key(Table.key(newest.get("pk").s(), newest.get("sk").s())));
        assertThat(audit.verify(ADMIN, org.id(), null, null).breaks()).singleElement().satisfies(b -> {
            assertThat(b.eventId()).isEqualTo(fourth.get("id").s());
            assertThat(b.problem()).isEqualTo(ChainCheck.Problem.MISSING_AFTER);
        });
        // A range that ends before the deletion does not look at the head.
        assertThat(audit.verify(ADMIN, org.id(), null, clock.instant().minus(java.time.Duration.ofMinutes(6)).toString()).holds()).isTrue();
    }

    private void assertRefused(String since, String until, String cursor, String pointer) {
        assertThatThrownBy(() -> audit.list(ADMIN, org.id(), since, until, null, null, 50, cursor))
                .isInstanceOfSatisfying(ValidationFailedException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.pointer()).isEqualTo(pointer)));
    }
}
