package io.tenure.invitation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;
import io.tenure.schedule.DueItems;
import io.tenure.store.Found;
import io.tenure.store.ItemCodec;
import io.tenure.store.Page;
import io.tenure.store.Read;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import io.tenure.value.RequestStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Invitation requests ({@link TableKeys.InvitationRequest}): one item each in the org's
 * partition, replaced whole on every decision, on the condition that it is still pending at the
 * version that was read.
 */
public final class InvitationRequestStore {
    private final Table table;

    public InvitationRequestStore(Table table) {
        this.table = table;
    }

    /** The due items of the same table, for the request's expiry. */
    public DueItems dueItems() {
        return new DueItems(table);
    }

    public Optional<InvitationRequest> find(String orgId, String requestId) {
        return table.find(findRead(orgId, requestId));
    }

    /** {@link #find} as a read to batch with others ({@link #read}). */
    public Read<InvitationRequest> findRead(String orgId, String requestId) {
        return Read.of(TableKeys.InvitationRequest.pk(orgId), TableKeys.InvitationRequest.sk(requestId), InvitationRequestStore::read);
    }

    /** Reads made by any store, in one request ({@link Table#read}). */
    public Found read(Read<?>... reads) {
        return table.read(reads);
    }

    /**
     * A page of the org's requests, newest first, of {@code status} as read at {@code now} (null:
     * every status), only those {@code requesterKey} made when it is not null.
     */
    public Page<InvitationRequest> list(String orgId, RequestStatus status, String requesterKey, Instant now, int limit, String afterSk) {
        return table.filteredPage(TableKeys.InvitationRequest.pk(orgId), TableKeys.InvitationRequest.SK_PREFIX, limit, afterSk, true,
                        item -> {
                            InvitationRequest request = read(item).asOf(now);
                            return (status == null || request.is(status)) && (requesterKey == null || request.requestedBy(requesterKey));
                        })
                .map(item -> read(item).asOf(now));
    }

    /** A new request; fails (as a condition) if its id exists. */
    public Write putNew(InvitationRequest request) {
        return put(request, "attribute_not_exists(pk)", Map.of());
    }

    /**
     * The request as decided ({@code next}), only while the stored one is still pending at the
     * version {@code next} was made from.
     */
    public Write decide(InvitationRequest next) {
        return put(next, "#status = :pending AND version = :read", Map.of(
                ":pending", AttributeValue.fromS(RequestStatus.PENDING.json()),
                ":read", AttributeValue.fromN(Long.toString(next.version() - 1))));
    }

    public WriteOutcome commit(List<Write> writes) {
        return table.transact(writes);
    }

    private Write put(InvitationRequest request, String condition, Map<String, AttributeValue> values) {
        ObjectNode node = Json.tree(request);
        node.put("pk", TableKeys.InvitationRequest.pk(request.orgId()));
        node.put("sk", TableKeys.InvitationRequest.sk(request.id()));
        Put.Builder put = Put.builder().tableName(table.name()).item(ItemCodec.toItem(node)).conditionExpression(condition);
        if (!values.isEmpty()) {
            put.expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values);
        }
        return Write.of(TransactWriteItem.builder().put(put.build()).build());
    }

    private static InvitationRequest read(Map<String, AttributeValue> item) {
        return Json.read(ItemCodec.toJson(item), InvitationRequest.class);
    }
}
