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

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
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

    void reset() {
        read.set(0);
    }
}
