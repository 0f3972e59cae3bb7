package io.tenure.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Keys BatchGetItem leaves unprocessed (DynamoDB throttling) are asked for again after a growing
 * pause, a bounded number of times, instead of at once and for ever.
 */
class TableBatchGetRetryTest {
    private final List<Long> pauses = new ArrayList<>();

    @Test
    void unprocessedKeysAreAskedForAgainAfterAPauseAndTheirItemsComeBack() {
        FakeBatchGetClient client = new FakeBatchGetClient(2);
        Table table = new Table(client, "t");

        var found = table.getAll(List.of(Table.key("A", "1"), Table.key("B", "1")), pauses::add);

        assertThat(found).containsOnlyKeys("A", "B");
        assertThat(client.requests).isEqualTo(3);
        assertThat(client.askedFor).containsExactly(2, 2, 2);
        assertThat(pauses).hasSize(2);
        assertThat(pauses.get(0)).isBetween(25L, 50L);
        assertThat(pauses.get(1)).isBetween(50L, 100L);
    }

    @Test
    void keysThatStayUnprocessedFailAfterThreeRetries() {
        FakeBatchGetClient client = new FakeBatchGetClient(Integer.MAX_VALUE);
        Table table = new Table(client, "t");

        assertThatThrownBy(() -> table.getAll(List.of(Table.key("A", "1"), Table.key("B", "1")), pauses::add))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("left 2 of 2 keys unprocessed");
        assertThat(client.requests).isEqualTo(4);
        assertThat(pauses).hasSize(3);
        assertThat(pauses.get(2)).isBetween(100L, 200L);
    }

    @Test
    void theBackoffDoublesAndStaysWithinItsJitter() {
        for (int i = 0; i < 100; i++) {
            assertThat(Table.backoffMillis(0)).isBetween(25L, 50L);
            assertThat(Table.backoffMillis(1)).isBetween(50L, 100L);
            assertThat(Table.backoffMillis(2)).isBetween(100L, 200L);
        }
    }

    /** Answers the first {@code throttled} BatchGetItem requests with every key unprocessed, then with the items. */
    private static final class FakeBatchGetClient implements DynamoDbClient {
        private final int throttled;
        int requests;
        final List<Integer> askedFor = new ArrayList<>();

        FakeBatchGetClient(int throttled) {
            this.throttled = throttled;
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            requests++;
            Map.Entry<String, KeysAndAttributes> only = request.requestItems().entrySet().iterator().next();
            askedFor.add(only.getValue().keys().size());
            if (requests <= throttled) {
                return BatchGetItemResponse.builder().unprocessedKeys(request.requestItems()).build();
            }
            List<Map<String, AttributeValue>> items = only.getValue().keys().stream()
                    .map(key -> Map.of("pk", key.get("pk"), "sk", key.get("sk"), "found", AttributeValue.fromBool(true)))
                    .toList();
            return BatchGetItemResponse.builder().responses(Map.of(only.getKey(), items)).build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
