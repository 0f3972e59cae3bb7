package io.tenure.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Reads with a key DynamoDB cannot hold (a 3,000-character id from a path or a query) find
 * nothing, instead of DynamoDB's ValidationException, which reached callers as a 500 (found by
 * the fuzz suite). Keys at DynamoDB's limits still work.
 */
class TableKeyLimitsTest {
    private final Table table = TestTable.create();

    @Test
    void aKeyTooLargeForDynamoDbFindsNothing() {
        String huge = "ORG#org_" + "A".repeat(3000);
        assertThat(table.get(huge, "ORG")).isEmpty();
        assertThat(table.get("ORG#x", "MEMBER#" + "\u00E9".repeat(600))).isEmpty();
        assertThat(table.queryPrefix(huge, "MEMBER#")).isEmpty();
        assertThat(table.queryPage(huge, "MEMBER#", 10, null, false).items()).isEmpty();
        assertThat(table.rangePageNewestFirst(huge, "AUD#0", "AUD#9", 10, null, item -> true).items()).isEmpty();
        assertThat(table.queryIndex("GSI1", "gsi1pk", huge)).isEmpty();
    }

    @Test
    void keysAtTheLimitsStillReadAndACursorNoItemCanHaveMadeEndsTheList() {
        String pk = "P".repeat(2048);
        String sk = "S".repeat(1024);
        put(pk, sk);
        put("ORG#small", "MEMBER#1");

        assertThat(table.get(pk, sk)).isPresent();
        assertThat(table.getAll(List.of(Table.key(pk, sk), Table.key("ORG#small", "MEMBER#1"), Table.key(pk + "P", sk))))
                .containsOnlyKeys(pk, "ORG#small");
        assertThat(table.queryPage("ORG#small", "MEMBER#", 10, null, false).items()).hasSize(1);
        Page<Map<String, AttributeValue>> afterForgedCursor = table.queryPage("ORG#small", "MEMBER#", 10, "MEMBER#" + "9".repeat(2000), false);
        assertThat(afterForgedCursor.items()).isEmpty();
        assertThat(afterForgedCursor.nextCursor()).isNull();
    }

    private void put(String pk, String sk) {
        assertThat(table.transact(List.of(Write.of(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
                .item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))
                .build()).build()))).committed()).isTrue();
    }
}
