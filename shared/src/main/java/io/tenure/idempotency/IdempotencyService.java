package io.tenure.idempotency;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.WriteOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@code Idempotency-Key} on POSTs (SPEC §3): the same key and request within 24 h returns the
 * first response and does nothing again; the same key with another request is 422. The key is
 * claimed with a conditional put before the work, so two concurrent repeats do the work once.
 */
public final class IdempotencyService {
    private static final Duration KEPT = Duration.ofHours(24);

    private final Table table;
    private final Clock clock;

    public IdempotencyService(Table table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /**
     * Runs {@code work} once per (caller, key); repeats of the same request get its stored response.
     * Responses of 5xx are not kept, so the request can be retried with the same key.
     *
     * @param fingerprint what makes two requests "the same": method, path and body
     */
    public StoredResponse run(String callerSub, String key, String fingerprint, Supplier<StoredResponse> work) {
        if (key.isBlank() || key.length() > 255 || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw ValidationFailedException.of("/Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        String pk = TableKeys.Idempotency.pk(callerSub, key);
        String hash = io.tenure.id.Hashes.sha256Hex(fingerprint);
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            WriteOutcome claim = table.transact(List.of(claim(pk, hash, now)));
            if (claim.committed()) {
                break;
            }
            Map<String, AttributeValue> record = table.get(pk, TableKeys.Idempotency.sk()).orElse(null);
            if (record == null) {
                if (attempt >= 3) {
                    throw new RequestInProgressException();
                }
                continue; // it expired or was released between the two calls: claim again
            }
            if (!hash.equals(record.get("fingerprint").s())) {
                throw new IdempotencyKeyReusedException();
            }
            if (!record.containsKey("response")) {
                throw new RequestInProgressException();
            }
            ObjectNode response = ItemCodec.toJson(record.get("response").m());
            return Json.read(response, StoredResponse.class);
        }
        StoredResponse response;
        try {
            response = work.get();
        } catch (RuntimeException failure) {
            release(pk);
            throw failure;
        }
        if (response.status() >= 500) {
            release(pk);
        } else {
            table.update(UpdateItemRequest.builder()
                    .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(TableKeys.Idempotency.sk())))
                    .updateExpression("SET #response = :response")
                    .conditionExpression("fingerprint = :hash")
                    .expressionAttributeNames(Map.of("#response", "response"))
                    .expressionAttributeValues(Map.of(
                            ":response", ItemCodec.toAttribute(Json.tree(response)),
                            ":hash", AttributeValue.fromS(hash))));
        }
        return response;
    }

    private TransactWriteItem claim(String pk, String hash, Instant now) {
        Instant expiresAt = now.plus(KEPT);
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(table.name())
                .item(Map.of(
                        "pk", AttributeValue.fromS(pk),
                        "sk", AttributeValue.fromS(TableKeys.Idempotency.sk()),
                        "fingerprint", AttributeValue.fromS(hash),
                        "expiresAt", AttributeValue.fromS(expiresAt.toString()),
                        "ttl", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond()))))
                // An expired record is as good as none: DynamoDB's TTL deletes late, and locally never.
                .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now")
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString())))
                .build()).build();
    }

    private void release(String pk) {
        table.transact(List.of(TransactWriteItem.builder().delete(Delete.builder()
                .tableName(table.name())
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(TableKeys.Idempotency.sk())))
                .conditionExpression("attribute_not_exists(#response)")
                .expressionAttributeNames(Map.of("#response", "response"))
                .build()).build()));
    }
}
