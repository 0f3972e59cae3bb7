package io.tenure.schedule;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.WriteOutcome;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The due items of the one table (docs/data-model.md): written in the same transaction as the
 * change that makes a step due (invite, accept, …), found by Query on DueIndex, claimed with a
 * conditional write so overlapping runs do each step once, and deleted when the step is done.
 */
public final class DueItems {
    static final DateTimeFormatter DUE_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final Table table;

    public DueItems(Table table) {
        this.table = table;
    }

    /** The transaction item that makes a step due at {@code dueAt} (replacing the step's earlier time, if any). */
    public Write put(DueKind kind, String orgId, String targetId, Instant dueAt, ObjectNode payload) {
        String at = DUE_AT.format(dueAt.truncatedTo(ChronoUnit.SECONDS));
        ObjectNode node = Json.object();
        node.put("pk", TableKeys.Due.pk(orgId));
        node.put("sk", TableKeys.Due.sk(kind.key(), targetId));
        node.put("duePk", TableKeys.Due.duePk(kind.queue().key(), targetId));
        node.put("dueSk", TableKeys.Due.dueSk(at, kind.key(), targetId));
        node.put("orgId", orgId);
        node.put("kind", kind.key());
        node.put("targetId", targetId);
        node.put("dueAt", at);
        node.set("payload", payload);
        return Write.of(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(ItemCodec.toItem(node)).build()).build());
    }

    /** The transaction item that cancels a step (nothing happens if it is not there). */
    public Write cancel(DueKind kind, String orgId, String targetId) {
        return Write.of(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                .key(key(orgId, kind, targetId)).build()).build());
    }

    /**
     * Due steps of one queue and shard, oldest first, up to {@code limit}, after {@code after}
     * (exclusive; null from the start), with their payloads. One Query on the sparse DueIndex.
     */
    public List<DueItem> due(DueKind.Queue queue, int shard, Instant now, int limit, DueItem after) {
        String bound = DUE_AT.format(now.truncatedTo(ChronoUnit.SECONDS)) + "#~";
        Map<String, AttributeValue> start = after == null ? null : Map.of(
                "duePk", AttributeValue.fromS(TableKeys.Due.duePk(queue.key(), shard)),
                "dueSk", AttributeValue.fromS(after.dueSk()),
                "pk", AttributeValue.fromS(TableKeys.Due.pk(after.orgId())),
                "sk", AttributeValue.fromS(TableKeys.Due.sk(after.kind().key(), after.targetId())));
        List<DueItem> items = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.queryIndexUpTo(TableKeys.DUE_INDEX, "duePk",
                TableKeys.Due.duePk(queue.key(), shard), "dueSk", bound, limit, start)) {
            items.add(toDueItem(item));
        }
        return items;
    }

    /**
     * Claims a step for one run until {@code until}: only if it is still due at the time that was
     * read and no other run holds an unexpired claim. Exactly one of two overlapping runs wins.
     */
    public boolean claim(DueItem item, String runId, Instant now, Instant until) {
        return table.update(UpdateItemRequest.builder()
                .key(key(item.orgId(), item.kind(), item.targetId()))
                .updateExpression("SET claimedBy = :run, claimUntil = :until")
                .conditionExpression("dueSk = :seen AND (attribute_not_exists(claimUntil) OR claimUntil < :now)")
                .expressionAttributeValues(Map.of(
                        ":run", AttributeValue.fromS(runId),
                        ":until", AttributeValue.fromS(until.toString()),
                        ":seen", AttributeValue.fromS(item.dueSk()),
                        ":now", AttributeValue.fromS(now.toString())))).committed();
    }

    /** Records that one email of the step went out, so a retry does not send it again. */
    public void markSent(DueItem item, String runId, String emailKey) {
        table.update(UpdateItemRequest.builder()
                .key(key(item.orgId(), item.kind(), item.targetId()))
                .updateExpression("ADD sentTo :sent")
                .conditionExpression("claimedBy = :run")
                .expressionAttributeValues(Map.of(
                        ":sent", AttributeValue.fromSs(List.of(emailKey)),
                        ":run", AttributeValue.fromS(runId))));
    }

    /**
     * Moves a step this run holds to {@code at} and gives it back: it is due again then, with
     * nothing recorded as sent (a step whose target changed so that it is not due yet).
     */
    public void reschedule(DueItem item, String runId, Instant at) {
        String dueAt = DUE_AT.format(at.truncatedTo(ChronoUnit.SECONDS));
        table.update(UpdateItemRequest.builder()
                .key(key(item.orgId(), item.kind(), item.targetId()))
                .updateExpression("SET dueAt = :at, dueSk = :sk REMOVE claimedBy, claimUntil, sentTo")
                .conditionExpression("claimedBy = :run")
                .expressionAttributeValues(Map.of(
                        ":at", AttributeValue.fromS(dueAt),
                        ":sk", AttributeValue.fromS(TableKeys.Due.dueSk(dueAt, item.kind().key(), item.targetId())),
                        ":run", AttributeValue.fromS(runId))));
    }

    /** Gives the step back to the next run (after a failure). */
    public void release(DueItem item, String runId) {
        table.update(UpdateItemRequest.builder()
                .key(key(item.orgId(), item.kind(), item.targetId()))
                .updateExpression("REMOVE claimedBy, claimUntil")
                .conditionExpression("claimedBy = :run")
                .expressionAttributeValues(Map.of(":run", AttributeValue.fromS(runId))));
    }

    /** The transaction item that ends a step this run holds. */
    public Write done(DueItem item, String runId) {
        return Write.of(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                .key(key(item.orgId(), item.kind(), item.targetId()))
                .conditionExpression("claimedBy = :run")
                .expressionAttributeValues(Map.of(":run", AttributeValue.fromS(runId)))
                .build()).build());
    }

    /** Ends a step, with any other writes that belong to it (an audit event, the next quarter's review). */
    public WriteOutcome finish(DueItem item, String runId, List<Write> with) {
        List<Write> items = new ArrayList<>(with);
        items.add(0, done(item, runId));
        return table.transact(items);
    }

    private static DueItem toDueItem(Map<String, AttributeValue> item) {
        Set<String> sent = new LinkedHashSet<>();
        if (item.containsKey("sentTo") && item.get("sentTo").hasSs()) {
            sent.addAll(item.get("sentTo").ss());
        }
        Map<String, AttributeValue> payload = item.containsKey("payload") ? item.get("payload").m() : new HashMap<>();
        return new DueItem(item.get("orgId").s(), DueKind.of(item.get("kind").s()), item.get("targetId").s(),
                Instant.parse(item.get("dueAt").s()), item.get("dueSk").s(), ItemCodec.toJson(payload), sent);
    }

    private static Map<String, AttributeValue> key(String orgId, DueKind kind, String targetId) {
        return Table.key(TableKeys.Due.pk(orgId), TableKeys.Due.sk(kind.key(), targetId));
    }
}
