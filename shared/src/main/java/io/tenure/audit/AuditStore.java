package io.tenure.audit;

import com.github.f4b6a3.ulid.Ulid;
import io.tenure.json.Json;
import io.tenure.store.HashChain;
import io.tenure.store.ItemCodec;
import io.tenure.store.Page;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads audit events ({@link TableKeys.Audit}); {@link AuditLog} writes them. An org's events
 * live in one partition sorted by id, and ids are ULIDs, so a time range is a range of sort keys.
 */
public final class AuditStore {
    private final Table table;

    public AuditStore(Table table) {
        this.table = table;
    }

    /** The sort keys of the events of a time range, both ends included; a cursor must fall inside it. */
    public record Range(String fromSk, String toSk) {
        /** Whether {@code sk} (a decoded cursor) is a key of this range. */
        public boolean holds(String sk) {
            return sk.compareTo(fromSk) >= 0 && sk.compareTo(toSk) <= 0;
        }
    }

    /** The range of ids made from {@code from} to {@code to} (whole milliseconds; {@code to} includes its second). */
    public Range range(Instant from, Instant to) {
        return new Range(TableKeys.Audit.sk("aud_" + Ulid.min(from.toEpochMilli())),
                TableKeys.Audit.sk("aud_" + Ulid.max(Math.min(to.toEpochMilli() + 999, (1L << 48) - 1))));
    }

    /**
     * A page of the org's events in {@code range}, newest first, after the sort key {@code afterSk}
     * (null: from the newest), only those of {@code action} when it is not null.
     */
    public Page<AuditEvent> newestFirst(String orgId, Range range, int limit, String afterSk, String action) {
        return table.rangePageNewestFirst(TableKeys.Audit.pk(orgId), range.fromSk(), range.toSk(), limit, afterSk,
                item -> action == null || action.equals(item.get("action").s())).map(AuditStore::read);
    }

    /** Every event about one target, of any org, from GSI2 (eventually consistent), in no order. */
    public List<AuditEvent> aboutTarget(String targetId) {
        return table.queryIndex(TableKeys.GSI2, "gsi2pk", TableKeys.Audit.gsi2pk(targetId)).stream()
                .map(AuditStore::read)
                .toList();
    }

    /**
     * One stored event as the chain check sees it: where it is (its id, and the time its key says it
     * was made), what it says of its place in the chain (null for an event written before the chain
     * existed), and whether its content still gives its hash.
     */
    public record ChainLink(String id, Instant at, Long seq, String prevHash, String hash, boolean intact) {
    }

    /**
     * The first {@code atMost} events from {@code from} to {@code to} (whole milliseconds), oldest
     * first by id, each with its hash computed again from what is stored.
     */
    public List<ChainLink> chainLinks(String orgId, Instant from, Instant to, int atMost) {
        Range range = range(from, to);
        return table.queryBetween(TableKeys.Audit.pk(orgId), range.fromSk(), range.toSk(), atMost).stream()
                .map(AuditStore::link)
                .toList();
    }

    /** The head of the org's chain: its last event's seq and hash ({@code 0} and 64 zeros before the first). */
    public HashChain.Head chainHead(String orgId) {
        return HashChain.Head.of(table.get(TableKeys.Audit.pk(orgId), TableKeys.Audit.HEAD_SK).orElse(null));
    }

    private static ChainLink link(Map<String, AttributeValue> item) {
        // The key says which event this is; the id attribute is content, which may have been altered.
        String id = item.get("sk").s().substring(TableKeys.Audit.sk("").length());
        String hash = text(item, HashChain.HASH);
        Long seq = item.containsKey(HashChain.SEQ) && item.get(HashChain.SEQ).n() != null ? Long.valueOf(item.get(HashChain.SEQ).n()) : null;
        boolean intact = hash != null && hash.equals(HashChain.hash(item, AuditLog.UNHASHED));
        // When it was made, from its key: the at attribute is content, which may have been altered.
        Instant at = Instant.ofEpochMilli(Ulid.from(id.substring("aud_".length())).getTime());
        return new ChainLink(id, at, seq, text(item, HashChain.PREV_HASH), hash, intact);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static AuditEvent read(Map<String, AttributeValue> item) {
        return Json.read(ItemCodec.toJson(item), AuditEvent.class);
    }
}
