package io.tenure.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.TableKeys;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Writes audit events as part of the transaction that makes the change, so a change and its audit
 * event are committed together or not at all.
 */
public final class AuditLog {
    private final String tableName;

    public AuditLog(String tableName) {
        this.tableName = tableName;
    }

    /** The transaction item that stores this event; it expires after the org's retention. */
    public TransactWriteItem put(AuditEvent event, int retentionDays) {
        ObjectNode node = Json.tree(event);
        node.put("pk", TableKeys.Audit.pk(event.orgId()));
        node.put("sk", TableKeys.Audit.sk(event.id()));
        node.put("gsi2pk", TableKeys.Audit.gsi2pk(event.target().id()));
        node.put("gsi2sk", TableKeys.Audit.sk(event.id()));
        node.put("ttl", expiry(event.at(), retentionDays).getEpochSecond());
        return TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(tableName)
                        .item(ItemCodec.toItem(node))
                        .conditionExpression("attribute_not_exists(pk)")
                        .build())
                .build();
    }

    private static Instant expiry(Instant at, int retentionDays) {
        return at.plus(Duration.ofDays(retentionDays));
    }
}
