package io.tenure.idempotency;

import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.Write;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The Idempotency-Key records ({@link TableKeys.Idempotency}): one per caller and key, holding the
 * request's fingerprint, the current claim and, once answered, the response. Each write is one
 * DynamoDB request; {@link IdempotencyService} decides when to make which.
 */
public final class IdempotencyStore {
    private final Table table;

    public IdempotencyStore(Table table) {
        this.table = table;
    }

    /**
     * A key's record as read.
     *
     * @param leaseUntil when the claim lapses; null once a response is stored
     * @param response   the stored response, or null while the request runs
     */
    public record Claim(String fingerprint, Instant expiresAt, Instant leaseUntil, StoredResponse response) {
    }

    /**
     * Claims the key for a request with this fingerprint: succeeds when there is no record, when
     * the record expired, or when an unanswered claim of the same request lapsed. False when the
     * key is held.
     */
    public boolean claim(String callerSub, String key, String fingerprint, String claimId, Instant now, Instant leaseUntil,
                         Instant expiresAt) {
        return table.transact(List.of(Write.of(TransactWriteItem.builder().put(Put.builder()
                .tableName(table.name())
                .item(Map.of(
                        "pk", AttributeValue.fromS(TableKeys.Idempotency.pk(callerSub, key)),
                        "sk", AttributeValue.fromS(TableKeys.Idempotency.sk()),
                        "fingerprint", AttributeValue.fromS(fingerprint),
                        "claimId", AttributeValue.fromS(claimId),
                        "leaseUntil", AttributeValue.fromS(leaseUntil.toString()),
                        "expiresAt", AttributeValue.fromS(expiresAt.toString()),
                        "ttl", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond()))))
                // An expired record is as good as none (DynamoDB's TTL deletes late, and locally
                // never); an unanswered claim of the same request whose lease lapsed is abandoned.
                .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now"
                        + " OR (attribute_not_exists(#response) AND leaseUntil <= :now AND fingerprint = :hash)")
                .expressionAttributeNames(Map.of("#response", "response"))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString()), ":hash", AttributeValue.fromS(fingerprint)))
                .build()).build()))).committed();
    }

    /** The key's record (strongly consistent), if there is one. */
    public Optional<Claim> find(String callerSub, String key) {
        return table.get(TableKeys.Idempotency.pk(callerSub, key), TableKeys.Idempotency.sk()).map(item -> new Claim(
                item.get("fingerprint").s(),
                Instant.parse(item.get("expiresAt").s()),
                item.containsKey("leaseUntil") ? Instant.parse(item.get("leaseUntil").s()) : null,
                item.containsKey("response") ? Json.read(ItemCodec.toJson(item.get("response").m()), StoredResponse.class) : null));
    }

    /**
     * Stores the response under this claim only, kept until {@code keptUntil}. False when another
     * claim holds the key now.
     */
    public boolean storeResponse(String callerSub, String key, String claimId, StoredResponse response, Instant keptUntil) {
        return table.update(UpdateItemRequest.builder()
                .key(Table.key(TableKeys.Idempotency.pk(callerSub, key), TableKeys.Idempotency.sk()))
                .updateExpression("SET #response = :response, expiresAt = :kept, #ttl = :ttl REMOVE leaseUntil")
                .conditionExpression("claimId = :claim")
                .expressionAttributeNames(Map.of("#response", "response", "#ttl", "ttl"))
                .expressionAttributeValues(Map.of(
                        ":response", ItemCodec.toAttribute(Json.tree(response)),
                        ":kept", AttributeValue.fromS(keptUntil.toString()),
                        ":ttl", AttributeValue.fromN(Long.toString(keptUntil.getEpochSecond())),
                        ":claim", AttributeValue.fromS(claimId)))).committed();
    }

    /** Deletes the record if this claim still holds it unanswered; otherwise leaves it. */
    public void release(String callerSub, String key, String claimId) {
        table.transact(List.of(Write.of(TransactWriteItem.builder().delete(Delete.builder()
                .tableName(table.name())
                .key(Table.key(TableKeys.Idempotency.pk(callerSub, key), TableKeys.Idempotency.sk()))
                .conditionExpression("claimId = :claim AND attribute_not_exists(#response)")
                .expressionAttributeNames(Map.of("#response", "response"))
                .expressionAttributeValues(Map.of(":claim", AttributeValue.fromS(claimId)))
                .build()).build())));
    }
}
