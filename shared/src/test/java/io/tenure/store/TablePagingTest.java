package io.tenure.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The reads that go over several pages: which items and cursor they give, and how many Query
 * requests they make (a page that is full reads no further page).
 */
class TablePagingTest {
    private final Table table = TestTable.create();
    private final RequestCounter counter = new RequestCounter();
    private final Table counted = TestTable.sameTable(table, TestTable.clientWith(counter));

    @Test
    void filteredPageReadsPagesOnlyUntilItIsFull() {
        fill("P", "ITEM#", 10);

        // Every other item kept: 3 kept from items 0..4, which the first two pages of 3 hold.
        Page<Map<String, AttributeValue>> first = counted(() -> counted.filteredPage("P", "ITEM#", 3, null, false, TablePagingTest::even));
        assertThat(sks(first)).containsExactly("ITEM#00", "ITEM#02", "ITEM#04");
        assertThat(counter.requests.get()).isEqualTo(2);
        assertThat(Page.decodeCursor(first.nextCursor())).isEqualTo("ITEM#04");

        Page<Map<String, AttributeValue>> second = counted(() -> counted.filteredPage("P", "ITEM#", 3, "ITEM#04", false, TablePagingTest::even));
        assertThat(sks(second)).containsExactly("ITEM#06", "ITEM#08");
        assertThat(counter.requests.get()).isEqualTo(2);
        assertThat(second.nextCursor()).isNull();

        Page<Map<String, AttributeValue>> newest = counted(() -> counted.filteredPage("P", "ITEM#", 2, null, true, item -> true));
        assertThat(sks(newest)).containsExactly("ITEM#09", "ITEM#08");
        assertThat(counter.requests.get()).isEqualTo(1);
        assertThat(Page.decodeCursor(newest.nextCursor())).isEqualTo("ITEM#08");

        // A cursor of another list starts from the beginning.
        Page<Map<String, AttributeValue>> other = counted(() -> counted.filteredPage("P", "ITEM#", 2, "OTHER#1", false, item -> true));
        assertThat(sks(other)).containsExactly("ITEM#00", "ITEM#01");
    }

    @Test
    void aPageFilledByThePartitionsLastItemsStillHasACursor() {
        fill("P", "ITEM#", 4);

        // The second page ends the partition, but it ended at its Limit, so DynamoDB gave a LastEvaluatedKey.
        Page<Map<String, AttributeValue>> page = counted(() -> counted.filteredPage("P", "ITEM#", 2, null, false, TablePagingTest::even));
        assertThat(sks(page)).containsExactly("ITEM#00", "ITEM#02");
        assertThat(counter.requests.get()).isEqualTo(2);
        assertThat(Page.decodeCursor(page.nextCursor())).isEqualTo("ITEM#02");

        Page<Map<String, AttributeValue>> next = counted(() -> counted.filteredPage("P", "ITEM#", 2, "ITEM#02", false, TablePagingTest::even));
        assertThat(next.items()).isEmpty();
        assertThat(counter.requests.get()).isEqualTo(1);
        assertThat(next.nextCursor()).isNull();
    }

    @Test
    void rangePageNewestFirstReadsOnlyItsRangeAndPagesUntilFull() {
        fill("A", "AUD#", 10);

        Page<Map<String, AttributeValue>> first = counted(() -> counted.rangePageNewestFirst("A", "AUD#02", "AUD#07", 2, null, TablePagingTest::even));
        assertThat(sks(first)).containsExactly("AUD#06", "AUD#04");
        assertThat(counter.requests.get()).isEqualTo(2);
        assertThat(Page.decodeCursor(first.nextCursor())).isEqualTo("AUD#04");

        Page<Map<String, AttributeValue>> rest = counted(() -> counted.rangePageNewestFirst("A", "AUD#02", "AUD#07", 2, "AUD#04", TablePagingTest::even));
        assertThat(sks(rest)).containsExactly("AUD#02");
        assertThat(counter.requests.get()).isEqualTo(1);
        assertThat(rest.nextCursor()).isNull();
    }

    @Test
    void queryPrefixAndQueryIndexReadEveryPage() {
        // Items of about 100 KB, so a partition of 25 is more than one 1 MB page.
        String big = "x".repeat(100_000);
        for (int i = 0; i < 25; i++) {
            put("BIG", String.format("ITEM#%02d", i), Map.of("gsi1pk", AttributeValue.fromS("G"), "gsi1sk", AttributeValue.fromS("S" + i),
                    "blob", AttributeValue.fromS(big)));
        }
        put("BIG", "OTHER#1", Map.of());

        List<Map<String, AttributeValue>> items = counted(() -> counted.queryPrefix("BIG", "ITEM#"));
        assertThat(items).hasSize(25);
        assertThat(counter.requests.get()).isGreaterThan(1);

        assertThat(counted(() -> counted.queryIndex("GSI1", "gsi1pk", "G"))).hasSize(25);
        assertThat(counter.requests.get()).isGreaterThan(1);
    }

    private <T> T counted(java.util.function.Supplier<T> read) {
        counter.requests.set(0);
        return read.get();
    }

    private static boolean even(Map<String, AttributeValue> item) {
        String sk = item.get("sk").s();
        return (sk.charAt(sk.length() - 1) - '0') % 2 == 0;
    }

    private static List<String> sks(Page<Map<String, AttributeValue>> page) {
        return page.items().stream().map(item -> item.get("sk").s()).toList();
    }

    private void fill(String pk, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            put(pk, String.format("%s%02d", prefix, i), Map.of());
        }
    }

    private void put(String pk, String sk, Map<String, AttributeValue> more) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Table.key(pk, sk));
        item.putAll(more);
        assertThat(table.transact(List.of(Write.of(TransactWriteItem.builder()
                .put(Put.builder().tableName(table.name()).item(item).build()).build()))).committed()).isTrue();
    }

    private static final class RequestCounter implements ExecutionInterceptor {
        final AtomicInteger requests = new AtomicInteger();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            requests.incrementAndGet();
        }
    }
}
