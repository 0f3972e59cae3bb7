package io.tenure.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Links of a hash chain written through {@link Table#transact} on DynamoDB Local, and their canonical form. */
class HashChainTest {
    private static final String CHAIN = "ORG#o1#AUDIT";

    @Test
    void eachTransactionLinksItsItemsAfterTheHeadAndMovesTheHead() {
        Table table = TestTable.create();
        assertThat(table.transact(List.of(link("e1")))).isEqualTo(WriteOutcome.COMMITTED);
        assertThat(table.transact(List.of(link("e2"), link("e3")))).isEqualTo(WriteOutcome.COMMITTED);

        List<Map<String, AttributeValue>> events = events(table);
        assertThat(events).extracting(e -> e.get("seq").n()).containsExactly("1", "2", "3");
        assertThat(events.get(0).get("prevHash").s()).isEqualTo(HashChain.GENESIS);
        assertThat(events.get(1).get("prevHash").s()).isEqualTo(events.get(0).get("hash").s());
        assertThat(events.get(2).get("prevHash").s()).isEqualTo(events.get(1).get("hash").s());
        for (Map<String, AttributeValue> event : events) {
            assertThat(HashChain.hash(event, Set.of("pk", "sk"))).as("the stored hash is the hash of what is stored")
                    .isEqualTo(event.get("hash").s());
        }
        assertThat(HashChain.Head.of(table.get(CHAIN, "HEAD").orElseThrow()))
                .isEqualTo(new HashChain.Head(3, events.get(2).get("hash").s()));
    }

    /**
     * Two instances (two Lambda instances) write to one chain; the one that last saw an old head
     * has its condition refused, links again after the head the refusal names, and no seq is lost
     * or written twice.
     */
    @Test
    void aWriterWithAnOldHeadLinksAgainAfterTheCurrentOneWithoutReadingIt() {
        Table first = TestTable.create();
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        Table second = new Table(TestTable.clientWith(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.add(context.request().getClass().getSimpleName().replace("Request", ""));
            }
        }), first.name());

        second.transact(List.of(link("e1")));             // second now knows seq 1
        first.transact(List.of(link("e2")));              // first reads the head (GetItem) and writes seq 2
        calls.clear();
        assertThat(second.transact(List.of(link("e3")))).isEqualTo(WriteOutcome.COMMITTED);

        assertThat(calls).as("a refused head answers with the current one: no read in between")
                .containsExactly("TransactWriteItems", "TransactWriteItems");
        List<Map<String, AttributeValue>> events = events(first);
        assertThat(events).extracting(e -> e.get("sk").s() + "@" + e.get("seq").n())
                .containsExactly("AUD#e1@1", "AUD#e2@2", "AUD#e3@3");
        assertThat(events.get(2).get("prevHash").s()).isEqualTo(events.get(1).get("hash").s());
    }

    @Test
    void aRefusalOfAnotherWriteIsAnsweredNotRetriedAndLinksNothing() {
        Table table = TestTable.create();
        table.transact(List.of(link("e1")));
        Write taken = Write.of(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
                .item(Map.of("pk", AttributeValue.fromS(CHAIN), "sk", AttributeValue.fromS("AUD#e1")))
                .conditionExpression("attribute_not_exists(pk)").build()).build()).refusedAs("taken");

        assertThat(table.transact(List.of(taken, link("e2"))).refusedAs("taken")).isTrue();
        assertThat(events(table)).hasSize(1);
        assertThat(HashChain.Head.of(table.get(CHAIN, "HEAD").orElseThrow()).seq()).isEqualTo(1);
    }

    /** Writers racing on one chain, each its own instance: every seq is written once, each linked to the one before. */
    @Test
    void concurrentWritersNeverForkTheChain() throws Exception {
        Table table = TestTable.create();
        int writers = 4;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<WriteOutcome>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Table own = new Table(TestTable.client(), table.name());
                results.add(pool.submit(() -> {
                    List<WriteOutcome> outcomes = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        outcomes.add(own.transact(List.of(link("w" + writer + "-" + i))));
                    }
                    return outcomes;
                }));
            }
            for (Future<List<WriteOutcome>> result : results) {
                assertThat(result.get()).containsOnly(WriteOutcome.COMMITTED);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Map<String, AttributeValue>> bySeq = new ArrayList<>(events(table));
        bySeq.sort((a, b) -> Long.compare(Long.parseLong(a.get("seq").n()), Long.parseLong(b.get("seq").n())));
        assertThat(bySeq).hasSize(writers * each);
        for (int i = 0; i < bySeq.size(); i++) {
            assertThat(bySeq.get(i).get("seq").n()).isEqualTo(Integer.toString(i + 1));
            String before = i == 0 ? HashChain.GENESIS : bySeq.get(i - 1).get("hash").s();
            assertThat(bySeq.get(i).get("prevHash").s()).isEqualTo(before);
        }
    }

    @Test
    void theCanonicalFormSortsKeysAndKeepsNumbersByValue() {
        Map<String, AttributeValue> item = new java.util.LinkedHashMap<>();
        item.put("b", AttributeValue.fromN("1.50"));
        item.put("a", AttributeValue.fromM(Map.of("z", AttributeValue.fromBool(true), "y", AttributeValue.fromNul(true))));
        item.put("c", AttributeValue.fromL(List.of(AttributeValue.fromS("say \"hi\"\n"), AttributeValue.fromN("100"))));
        StringBuilder out = new StringBuilder();
        HashChain.canonical(AttributeValue.fromM(item), out);

        assertThat(out).hasToString("{\"a\":{\"y\":null,\"z\":true},\"b\":1.5,\"c\":[\"say \\\"hi\\\"\\n\",100]}");
        Map<String, AttributeValue> respelled = new java.util.HashMap<>(item);
        respelled.put("b", AttributeValue.fromN("1.5"));
        assertThat(HashChain.hash(respelled, Set.of())).isEqualTo(HashChain.hash(item, Set.of()));
        respelled.put("b", AttributeValue.fromN("1.51"));
        assertThat(HashChain.hash(respelled, Set.of())).isNotEqualTo(HashChain.hash(item, Set.of()));
    }

    private static Write link(String id) {
        return Write.linked(CHAIN, "HEAD", Map.of("pk", AttributeValue.fromS(CHAIN), "sk", AttributeValue.fromS("AUD#" + id),
                "what", AttributeValue.fromS("event " + id)), Set.of("pk", "sk"));
    }

    private static List<Map<String, AttributeValue>> events(Table table) {
        return table.queryPrefix(CHAIN, "AUD#");
    }
}
