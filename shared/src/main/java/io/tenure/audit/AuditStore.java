package io.tenure.audit;

import com.github.f4b6a3.ulid.Ulid;
import io.tenure.json.Json;
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

    private static AuditEvent read(Map<String, AttributeValue> item) {
        return Json.read(ItemCodec.toJson(item), AuditEvent.class);
    }
}
