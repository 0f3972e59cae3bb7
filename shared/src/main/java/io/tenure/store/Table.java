package io.tenure.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The one DynamoDB table. Reads are key lookups and Queries only (no Scan: see
 * docs/data-model.md); writes are conditional, and their expected failures come back as a
 * {@link WriteOutcome}.
 */
public final class Table {
    // DynamoDB answers TransactionConflict while another transaction holds an item (an org's audit
    // head, under concurrent changes); waits that double from 10 ms to 320 ms give 10 tries about
    // 2 s, far inside the 29 s function timeout.
    private static final int CONFLICT_RETRIES = 10;
    /**
     * DynamoDB's limits on a key value, in UTF-8 bytes. A longer value (an id of 3,000 characters in
     * a path or a query) names nothing that can be stored, and DynamoDB would refuse the request
     * with a ValidationException (a 500), so reads with one find nothing without asking.
     */
    static final int MAX_PARTITION_KEY_BYTES = 2048;
    static final int MAX_SORT_KEY_BYTES = 1024;

    /** How many times a transaction is written again because a chain's head moved meanwhile. */
    private static final int CHAIN_RETRIES = 16;
    private static final int KNOWN_HEADS = 256;

    private final DynamoDbClient client;
    private final String name;
    /**
     * The chain heads this instance last read or wrote, by head key: where a transaction that links
     * to a chain starts. A head another writer moved since fails the transaction's condition, which
     * answers with the current head, and the transaction is linked again.
     */
    private final Map<String, HashChain.Head> knownHeads = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, HashChain.Head> eldest) {
                    return size() > KNOWN_HEADS;
                }
            });

    public Table(DynamoDbClient client, String name) {
        this.client = client;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The key of one item. */
    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    /**
     * Adds one to the counter item at {@code pk}/{@code sk}, only while it is under {@code limit}
     * (a failed condition at the limit); DynamoDB may drop the item after {@code expiresAtEpochSecond}.
     * The one shape of every rate limit and daily quota, so each is counted in its own transaction.
     */
    public Write countUpTo(String pk, String sk, int limit, long expiresAtEpochSecond) {
        return Write.of(TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(name)
                .key(key(pk, sk))
                .updateExpression("ADD #count :one SET #ttl = :ttl")
                .conditionExpression("attribute_not_exists(#count) OR #count < :limit")
                .expressionAttributeNames(Map.of("#count", "count", "#ttl", "ttl"))
                .expressionAttributeValues(Map.of(
                        ":one", AttributeValue.fromN("1"),
                        ":limit", AttributeValue.fromN(Integer.toString(limit)),
                        ":ttl", AttributeValue.fromN(Long.toString(expiresAtEpochSecond))))
                .build()).build());
    }

    /** When a counter of {@code day} (UTC) may go: two days after it began. */
    public static long dayCounterExpiry(java.time.LocalDate day) {
        return day.plusDays(2).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
    }

    /** Strongly consistent read of one item; empty for a key no item can have. */
    public Optional<Map<String, AttributeValue>> get(String pk, String sk) {
        if (!fitsPartition(pk) || !fitsSort(sk)) {
            return Optional.empty();
        }
        var response = client.getItem(GetItemRequest.builder()
                .tableName(name)
                .key(key(pk, sk))
                .consistentRead(true)
                .build());
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    /**
     * The items of {@code reads} in one strongly consistent request: a GetItem for one key, else one
     * BatchGetItem (its unprocessed keys asked for again as {@link #getAll} does). The same key read
     * twice is asked for once. At most 100 distinct keys, BatchGetItem's limit.
     */
    public Found read(List<Read<?>> reads) {
        Map<String, Map<String, AttributeValue>> items = new java.util.HashMap<>();
        Map<String, Map<String, AttributeValue>> keys = new java.util.LinkedHashMap<>();
        List<String> chainHeads = new ArrayList<>();
        for (Read<?> read : reads) {
            if (fitsPartition(read.pk()) && fitsSort(read.sk())) {
                keys.putIfAbsent(Found.id(read.pk(), read.sk()), key(read.pk(), read.sk()));
                if (read.chainHeadPk() != null) {
                    String headId = Found.id(read.chainHeadPk(), read.chainHeadSk());
                    keys.putIfAbsent(headId, key(read.chainHeadPk(), read.chainHeadSk()));
                    chainHeads.add(headId);
                }
            }
        }
        if (keys.size() > 100) {
            throw new IllegalArgumentException("One read holds at most 100 keys, BatchGetItem's limit: " + keys.size());
        }
        if (keys.size() == 1) {
            Map<String, AttributeValue> only = keys.values().iterator().next();
            get(only.get("pk").s(), only.get("sk").s()).ifPresent(item -> items.put(keys.keySet().iterator().next(), item));
        } else if (!keys.isEmpty()) {
            batchGet(List.copyOf(keys.values()), Table::sleepMillis)
                    .forEach(item -> items.put(Found.id(item.get("pk").s(), item.get("sk").s()), item));
        }
        // The newest head wins: one this instance wrote after the read is newer than the read.
        chainHeads.forEach(headId -> knownHeads.merge(headId, HashChain.Head.of(items.get(headId)),
                (known, read) -> known.seq() >= read.seq() ? known : read));
        return new Found(items);
    }

    /** As {@link #read(List)}. */
    public Found read(Read<?>... reads) {
        return read(List.of(reads));
    }

    /** One {@link Read} on its own: one consistent GetItem. */
    public <T> Optional<T> find(Read<T> read) {
        return read(List.of(read)).get(read);
    }

    // BatchGetItem's unprocessed keys are asked for again up to 3 times, after 50, 100 and 200 ms.
    private static final int UNPROCESSED_RETRIES = 3;
    private static final long UNPROCESSED_BASE_MILLIS = 50;

    /**
     * Several items by key in one request (strongly consistent), as a map from {@code pk} to item;
     * keys with no item are absent.
     */
    public Map<String, Map<String, AttributeValue>> getAll(List<Map<String, AttributeValue>> keys) {
        return getAll(keys, Table::sleepMillis);
    }

    /** As {@link #getAll(List)}, pausing with {@code sleeper} (milliseconds) before each retry. */
    Map<String, Map<String, AttributeValue>> getAll(List<Map<String, AttributeValue>> keys, java.util.function.LongConsumer sleeper) {
        Map<String, Map<String, AttributeValue>> found = new java.util.HashMap<>();
        keys = keys.stream().filter(k -> fitsPartition(k.get("pk").s()) && fitsSort(k.get("sk").s())).toList();
        if (keys.isEmpty()) {
            return found;
        }
        batchGet(keys, sleeper).forEach(item -> found.put(item.get("pk").s(), item));
        return found;
    }

    /** The items of {@code keys} (distinct, at most 100), by BatchGetItem until none is left unprocessed. */
    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys, java.util.function.LongConsumer sleeper) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> request = Map.of(name,
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int retry = 0; ; retry++) {
            var response = client.batchGetItem(software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest.builder()
                    .requestItems(request).build());
            found.addAll(response.responses().getOrDefault(name, List.of()));
            if (!response.hasUnprocessedKeys() || response.unprocessedKeys().isEmpty()) {
                return found;
            }
            request = response.unprocessedKeys();
            if (retry == UNPROCESSED_RETRIES) {
                int left = request.values().stream().mapToInt(k -> k.keys().size()).sum();
                throw new IllegalStateException("BatchGetItem left " + left + " of " + keys.size()
                        + " keys unprocessed after " + (UNPROCESSED_RETRIES + 1) + " requests");
            }
            // Keys come back unprocessed mostly under throttling, which asking again at once only prolongs.
            sleeper.accept(backoffMillis(retry));
        }
    }

    /** The pause before retry {@code retry} (from 0): 50, 100, 200 ms, each jittered down by up to half. */
    static long backoffMillis(int retry) {
        long ceiling = UNPROCESSED_BASE_MILLIS << retry;
        return java.util.concurrent.ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every item of one partition whose sort key starts with the prefix, in sort-key order. */
    public List<Map<String, AttributeValue>> queryPrefix(String pk, String skPrefix) {
        if (!fitsPartition(pk) || !fitsSort(skPrefix)) {
            return new ArrayList<>();
        }
        return all(QueryRequest.builder()
                .tableName(name)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":prefix", AttributeValue.fromS(skPrefix)))
                .consistentRead(true)
                .build());
    }

    /**
     * Every item of one partition whose sort key is between {@code fromSk} and {@code toSk}
     * (inclusive), in sort-key order: one Query a page, for items of several kinds whose sort keys
     * lie next to each other.
     */
    public List<Map<String, AttributeValue>> queryBetween(String pk, String fromSk, String toSk) {
        if (!fitsPartition(pk) || !fitsSort(fromSk) || !fitsSort(toSk)) {
            return new ArrayList<>();
        }
        return all(QueryRequest.builder()
                .tableName(name)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":from", AttributeValue.fromS(fromSk),
                        ":to", AttributeValue.fromS(toSk)))
                .consistentRead(true)
                .build());
    }

    /**
     * The first {@code atMost} items of a partition with sort keys from {@code fromSk} to {@code toSk}
     * (both included), in sort-key order, strongly consistent.
     */
    public List<Map<String, AttributeValue>> queryBetween(String pk, String fromSk, String toSk, int atMost) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        if (!fitsPartition(pk) || !fitsSort(fromSk) || !fitsSort(toSk)) {
            return items;
        }
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = client.query(QueryRequest.builder()
                    .tableName(name)
                    .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":from", AttributeValue.fromS(fromSk),
                            ":to", AttributeValue.fromS(toSk)))
                    .limit(atMost - items.size())
                    .exclusiveStartKey(start)
                    .consistentRead(true)
                    .build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && items.size() < atMost);
        return items;
    }

    /**
     * One page of a partition's items whose sort key starts with the prefix, after {@code afterSk}
     * (exclusive), in sort-key order or, with {@code newestFirst}, reversed (ids are ULIDs, so the
     * highest is the newest). The page's cursor is the last sort key it read.
     */
    public Page<Map<String, AttributeValue>> queryPage(String pk, String skPrefix, int limit, String afterSk, boolean newestFirst) {
        if (!fitsPartition(pk) || !fitsSort(skPrefix) || (afterSk != null && !fitsSort(afterSk))) {
            // Nothing is stored under such a key, nor after a cursor no item can have made.
            return new Page<>(List.of(), null);
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(name)
                .consistentRead(true)
                .scanIndexForward(!newestFirst)
                .limit(limit)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":prefix", AttributeValue.fromS(skPrefix)));
        if (afterSk != null && afterSk.startsWith(skPrefix)) {
            request.exclusiveStartKey(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(afterSk)));
        }
        QueryResponse page = client.query(request.build());
        boolean more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
        return new Page<>(page.items(), more ? Page.encodeCursor(page.lastEvaluatedKey().get("sk").s()) : null);
    }

    /**
     * A page of up to {@code limit} items of one partition (sort key starting with the prefix)
     * that pass {@code keep}, reading pages of the partition until the page is full. The cursor is
     * the last sort key kept, so the next page starts right after it.
     */
    public Page<Map<String, AttributeValue>> filteredPage(String pk, String skPrefix, int limit, String afterSk,
                                                          boolean newestFirst, java.util.function.Predicate<Map<String, AttributeValue>> keep) {
        if (!fitsPartition(pk) || !fitsSort(skPrefix) || (afterSk != null && !fitsSort(afterSk))) {
            return new Page<>(new ArrayList<>(), null);
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(name)
                .consistentRead(true)
                .scanIndexForward(!newestFirst)
                .limit(limit)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":prefix", AttributeValue.fromS(skPrefix)));
        // As in queryPage: a cursor from another list starts this one from its beginning.
        if (afterSk != null && afterSk.startsWith(skPrefix)) {
            request.exclusiveStartKey(key(pk, afterSk));
        }
        return keptPage(request.build(), limit, keep);
    }

    /**
     * As {@link #filteredPage}, within the sort-key range {@code [fromSk, toSk]}, newest (highest)
     * first: reads only that range of the partition.
     */
    public Page<Map<String, AttributeValue>> rangePageNewestFirst(String pk, String fromSk, String toSk, int limit, String afterSk,
                                                                  java.util.function.Predicate<Map<String, AttributeValue>> keep) {
        if (!fitsPartition(pk) || !fitsSort(fromSk) || !fitsSort(toSk) || (afterSk != null && !fitsSort(afterSk))) {
            return new Page<>(new ArrayList<>(), null);
        }
        return keptPage(QueryRequest.builder().tableName(name).consistentRead(true).scanIndexForward(false)
                .limit(limit)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":from", AttributeValue.fromS(fromSk),
                        ":to", AttributeValue.fromS(toSk)))
                .exclusiveStartKey(afterSk == null ? null : key(pk, afterSk))
                .build(), limit, keep);
    }

    /**
     * Up to {@code limit} items of {@code request}'s pages that pass {@code keep}, reading pages
     * only until that many are kept. The cursor is the last sort key kept, and there is one only
     * when the page is full and more items were read or remain.
     */
    private Page<Map<String, AttributeValue>> keptPage(QueryRequest request, int limit,
                                                       java.util.function.Predicate<Map<String, AttributeValue>> keep) {
        List<Map<String, AttributeValue>> kept = new ArrayList<>();
        if (limit <= 0) {
            // DynamoDB refuses a Limit under 1; an empty page needs no request.
            return new Page<>(kept, null);
        }
        String lastKept = null;
        boolean more = false;
        boolean leftOver = false;
        // Pages are read only while the loop goes on, so leaving it once the page is full reads no more.
        for (QueryResponse page : pages(request)) {
            for (Map<String, AttributeValue> item : page.items()) {
                if (kept.size() == limit) {
                    leftOver = true;
                    break;
                }
                if (keep.test(item)) {
                    kept.add(item);
                    lastKept = item.get("sk").s();
                }
            }
            more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
            if (kept.size() == limit) {
                break;
            }
        }
        boolean full = kept.size() == limit && (more || leftOver);
        return new Page<>(kept, full ? Page.encodeCursor(lastKept) : null);
    }

    /** Items of a global secondary index partition (eventually consistent). */
    public List<Map<String, AttributeValue>> queryIndex(String indexName, String pkAttribute, String pk) {
        if (!fitsPartition(pk)) {
            return new ArrayList<>();
        }
        return all(QueryRequest.builder()
                .tableName(name)
                .indexName(indexName)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", pkAttribute))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .build());
    }

    /**
     * Every item of an index whose key is exactly {@code pk} and {@code sk} (index keys need not be
     * unique), all pages. Eventually consistent, as every index read is.
     */
    public List<Map<String, AttributeValue>> queryIndexKey(String indexName, String pkAttribute, String pk,
                                                           String skAttribute, String sk) {
        if (!fitsPartition(pk) || !fitsSort(sk)) {
            return new ArrayList<>();
        }
        return all(QueryRequest.builder()
                .tableName(name)
                .indexName(indexName)
                .keyConditionExpression("#pk = :pk AND #sk = :sk")
                .expressionAttributeNames(Map.of("#pk", pkAttribute, "#sk", skAttribute))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":sk", AttributeValue.fromS(sk)))
                .build());
    }

    /** Every item of every page of {@code request}. */
    private List<Map<String, AttributeValue>> all(QueryRequest request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (QueryResponse page : pages(request)) {
            items.addAll(page.items());
        }
        return items;
    }

    /**
     * The pages of {@code request}, each read when the loop asks for it. Not the SDK's
     * queryPaginator: it does the same, but loads about 28 more classes before a function's first
     * answer (GET /me, measured with -Xlog:class+load), and cold starts are what users feel.
     */
    private Iterable<QueryResponse> pages(QueryRequest first) {
        return () -> new java.util.Iterator<>() {
            private QueryRequest next = first;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public QueryResponse next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                QueryResponse page = client.query(next);
                next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? next.toBuilder().exclusiveStartKey(page.lastEvaluatedKey()).build() : null;
                return page;
            }
        };
    }

    /**
     * Up to {@code limit} items of an index partition whose sort key is at most {@code upTo}, in
     * sort-key order, after the key {@code after} (null: from the start). Reads only as many items
     * as it returns.
     */
    public List<Map<String, AttributeValue>> queryIndexUpTo(String indexName, String pkAttribute, String pk,
                                                            String skAttribute, String upTo, int limit,
                                                            Map<String, AttributeValue> after) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        if (!fitsPartition(pk) || !fitsSort(upTo)) {
            return items;
        }
        Map<String, AttributeValue> start = after;
        // Not the SDK's paginator: it repeats one Limit on every page, and this asks each for only what is still missing.
        do {
            QueryResponse page = client.query(QueryRequest.builder()
                    .tableName(name)
                    .indexName(indexName)
                    .keyConditionExpression("#pk = :pk AND #sk <= :upTo")
                    .expressionAttributeNames(Map.of("#pk", pkAttribute, "#sk", skAttribute))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":upTo", AttributeValue.fromS(upTo)))
                    .limit(limit - items.size())
                    .exclusiveStartKey(start)
                    .build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && items.size() < limit);
        return items;
    }

    /** One conditional update; a failed condition is a result. */
    public WriteOutcome update(UpdateItemRequest.Builder request) {
        try {
            client.updateItem(request.tableName(name).build());
            return WriteOutcome.COMMITTED;
        } catch (ConditionalCheckFailedException e) {
            return WriteOutcome.REFUSED;
        }
    }

    /**
     * All-or-nothing write of the given writes. Conditions that fail come back by the meanings
     * their writes gave; a conflict with another transaction in flight is retried, as DynamoDB
     * advises. Each write carries its own ClientRequestToken, so when the SDK retries it after a
     * lost answer DynamoDB treats the retry as the same transaction instead of failing its conditions.
     *
     * <p>{@linkplain Write#linked Links} of a {@link HashChain} are numbered and hashed after the
     * chain's head as last read (by a {@link Read#withChainHead} or, failing that, a GetItem), and
     * the head moves in the same transaction on the condition that it has not moved. When only a
     * head's condition fails, the refusal carries the current head and the writes are linked again
     * after it, up to {@value #CHAIN_RETRIES} times.
     */
    public WriteOutcome transact(List<Write> writes) {
        List<java.util.concurrent.locks.Lock> locks = writes.stream().filter(w -> w.link() != null)
                .map(w -> Math.floorMod(w.link().headId().hashCode(), chainLocks.length)).distinct().sorted()
                .map(i -> (java.util.concurrent.locks.Lock) chainLocks[i]).toList();
        // Writers of one chain in this instance take turns, so they do not refuse each other's heads;
        // writers in other instances still may, and the refusal says where the head went.
        locks.forEach(java.util.concurrent.locks.Lock::lock);
        try {
            return transactLinked(writes, !locks.isEmpty());
        } finally {
            locks.forEach(java.util.concurrent.locks.Lock::unlock);
        }
    }

    private final java.util.concurrent.locks.ReentrantLock[] chainLocks = java.util.stream.IntStream.range(0, 64)
            .mapToObj(i -> new java.util.concurrent.locks.ReentrantLock()).toArray(java.util.concurrent.locks.ReentrantLock[]::new);

    private WriteOutcome transactLinked(List<Write> writes, boolean linking) {
        Map<String, HashChain.Head> heads = linking ? startingHeads(writes) : Map.of();
        for (int conflicts = 0, chainAttempt = 1; ; ) {
            Linked linked = linking ? link(writes, heads) : new Linked(writes.stream().map(Write::item).toList(), List.of(), Map.of());
            try {
                client.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(linked.items())
                        .clientRequestToken(java.util.UUID.randomUUID().toString()).build());
                knownHeads.putAll(linked.newHeads());
                return WriteOutcome.COMMITTED;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()))) {
                    // Another transaction held one of these items (a chain's head, often): nothing was
                    // written. Try again; when it keeps happening, the caller may retry later.
                    if (++conflicts < CONFLICT_RETRIES) {
                        backoff(conflicts);
                        continue;
                    }
                    throw new io.tenure.error.ServiceUnavailableException(1);
                }
                java.util.Set<Object> refusals = new java.util.HashSet<>();
                for (int i = 0; i < reasons.size() && i < writes.size(); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        Object meaning = writes.get(i).meaning();
                        refusals.add(meaning == null ? WriteOutcome.CHANGED : meaning);
                    }
                }
                // Also when a write was refused: the head as it is now serves the next transaction.
                boolean moved = linking && movedHeads(reasons, writes.size(), linked, heads);
                if (!refusals.isEmpty()) {
                    return WriteOutcome.refused(refusals);
                }
                if (!moved) {
                    throw e;
                }
                if (chainAttempt++ >= CHAIN_RETRIES) {
                    // Other instances keep moving the head: nothing was written; the caller may retry.
                    throw new io.tenure.error.ServiceUnavailableException(1);
                }
                // Only a chain's head moved (another change to the org committed meanwhile): link again
                // after the head the refusal answered with; when it keeps happening, after a random
                // wait, so racing writers spread out.
                if (chainAttempt > 2) {
                    backoff(chainAttempt);
                }
            }
        }
    }

    /** The transaction items of {@code writes}, links finished, with one head update per chain after them. */
    private record Linked(List<TransactWriteItem> items, List<String> headIds, Map<String, HashChain.Head> newHeads) {
    }

    private Map<String, HashChain.Head> startingHeads(List<Write> writes) {
        Map<String, HashChain.Head> heads = new java.util.HashMap<>();
        for (Write write : writes) {
            if (write.link() != null && !heads.containsKey(write.link().headId())) {
                Write.Link link = write.link();
                HashChain.Head known = knownHeads.get(link.headId());
                heads.put(link.headId(), known != null ? known : HashChain.Head.of(get(link.headPk(), link.headSk()).orElse(null)));
            }
        }
        return heads;
    }

    private Linked link(List<Write> writes, Map<String, HashChain.Head> heads) {
        List<TransactWriteItem> items = new ArrayList<>();
        Map<String, HashChain.Head> newHeads = new java.util.LinkedHashMap<>();
        Map<String, Write.Link> headKeys = new java.util.LinkedHashMap<>();
        for (Write write : writes) {
            Write.Link link = write.link();
            if (link == null) {
                items.add(write.item());
                continue;
            }
            HashChain.Head before = newHeads.getOrDefault(link.headId(), heads.get(link.headId()));
            Map<String, AttributeValue> item = HashChain.link(link.item(), link.unhashed(), before.seq() + 1, before.hash());
            newHeads.put(link.headId(), new HashChain.Head(before.seq() + 1, item.get(HashChain.HASH).s()));
            headKeys.putIfAbsent(link.headId(), link);
            items.add(TransactWriteItem.builder().put(software.amazon.awssdk.services.dynamodb.model.Put.builder()
                    .tableName(name).item(item).conditionExpression("attribute_not_exists(pk)").build()).build());
        }
        for (Map.Entry<String, Write.Link> e : headKeys.entrySet()) {
            HashChain.Head from = heads.get(e.getKey());
            HashChain.Head to = newHeads.get(e.getKey());
            Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(
                    ":seq", AttributeValue.fromN(Long.toString(to.seq())),
                    ":hash", AttributeValue.fromS(to.hash())));
            String condition;
            if (from.seq() == 0) {
                condition = "attribute_not_exists(pk)";
            } else {
                condition = "#seq = :was";
                values.put(":was", AttributeValue.fromN(Long.toString(from.seq())));
            }
            items.add(TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
                    .tableName(name)
                    .key(key(e.getValue().headPk(), e.getValue().headSk()))
                    .updateExpression("SET #seq = :seq, #hash = :hash")
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#seq", HashChain.SEQ, "#hash", HashChain.HASH))
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(
                            software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build()).build());
        }
        return new Linked(items, List.copyOf(headKeys.keySet()), newHeads);
    }

    /**
     * Whether a chain head's condition failed; if so, {@code heads} now holds each failed head as
     * the refusal answered it (or as read again, if it did not).
     */
    private boolean movedHeads(List<CancellationReason> reasons, int writeCount, Linked linked, Map<String, HashChain.Head> heads) {
        boolean moved = false;
        for (int h = 0; h < linked.headIds().size(); h++) {
            int position = writeCount + h;
            if (position < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(position).code())) {
                String headId = linked.headIds().get(h);
                CancellationReason reason = reasons.get(position);
                Map<String, AttributeValue> current = reason.hasItem() && !reason.item().isEmpty() ? reason.item() : null;
                if (current == null) {
                    int split = headId.indexOf('\u0000');
                    current = get(headId.substring(0, split), headId.substring(split + 1)).orElse(null);
                }
                heads.put(headId, HashChain.Head.of(current));
                knownHeads.remove(headId);
                moved = true;
            }
        }
        return moved;
    }

    static boolean fitsPartition(String value) {
        return value != null && value.getBytes(StandardCharsets.UTF_8).length <= MAX_PARTITION_KEY_BYTES;
    }

    static boolean fitsSort(String value) {
        return value != null && value.getBytes(StandardCharsets.UTF_8).length <= MAX_SORT_KEY_BYTES;
    }

    /** A random wait up to 10 ms × 2^(attempt - 1), at most 320 ms, so writers that collided spread out. */
    private static void backoff(int attempt) {
        long ceiling = 10L << Math.min(Math.max(attempt - 1, 0), 5);
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
