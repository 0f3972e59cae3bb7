package io.tenure.bench;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;

/**
 * Counts the items DynamoDB read for the calls of one client: each Query's and Scan's ScannedCount
 * (what DynamoDB read, filtered or not), each BatchGetItem's and TransactGetItems' returned items,
 * and 1 for a GetItem that found its item.
 */
final class ReadCounter implements ExecutionInterceptor {
    private final AtomicLong read = new AtomicLong();
    private final java.util.Map<String, AtomicLong> byCall = new java.util.concurrent.ConcurrentSkipListMap<>();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        long before = read.get();
        count(response);
        String call = response.getClass().getSimpleName().replace("Response", "");
        byCall.computeIfAbsent(call, c -> new AtomicLong()).addAndGet(read.get() - before);
    }

    private void count(SdkResponse response) {
        if (response instanceof QueryResponse query) {
            read.addAndGet(query.scannedCount());
        } else if (response instanceof ScanResponse scan) {
            read.addAndGet(scan.scannedCount());
        } else if (response instanceof BatchGetItemResponse batch) {
            read.addAndGet(batch.responses().values().stream().mapToLong(java.util.List::size).sum());
        } else if (response instanceof TransactGetItemsResponse transact) {
            read.addAndGet(transact.responses().stream().filter(r -> r.hasItem() && !r.item().isEmpty()).count());
        } else if (response instanceof GetItemResponse get && get.hasItem() && !get.item().isEmpty()) {
            read.incrementAndGet();
        }
    }

    long read() {
        return read.get();
    }

    /** Items read by call, e.g. "Query 154, GetItem 207" (calls that read nothing left out). */
    String byCall() {
        return byCall.entrySet().stream().filter(e -> e.getValue().get() > 0)
                .map(e -> e.getKey() + " " + e.getValue().get()).collect(java.util.stream.Collectors.joining(", "));
    }

    void reset() {
        read.set(0);
        byCall.clear();
    }
}
