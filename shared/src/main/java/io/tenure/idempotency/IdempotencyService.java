package io.tenure.idempotency;

import io.tenure.store.Write;
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
import java.util.UUID;
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
 *
 * <p>A claim is a lease: it lasts the invocation's remaining time plus {@link #LEASE_MARGIN}. A
 * function killed mid-request (Lambda timeout) leaves its claim behind; once the lease lapses, a
 * repeat of the same request takes the claim over and runs again. Each claim has its own id, and
 * the response is stored (or the claim released) only under that id, so an original that wakes
 * up late cannot overwrite the newer claim. A stored response is kept 24 h from when it was
 * stored.
 */
public final class IdempotencyService {
    /** How long a stored response answers repeats, and how long the key stays bound to its request. */
    public static final Duration KEPT = Duration.ofHours(24);
    /** Added to the invocation's remaining time: past it the function is surely gone. */
    public static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

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
     * @param remaining   the invocation's remaining time now; the claim lapses this long plus
     *                    {@link #LEASE_MARGIN} from now unless a response is stored first
     */
    public StoredResponse run(String callerSub, String key, String fingerprint, Duration remaining, Supplier<StoredResponse> work) {
        if (key.isBlank() || key.length() > 255 || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw ValidationFailedException.of("/Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        String pk = TableKeys.Idempotency.pk(callerSub, key);
        String hash = io.tenure.id.Hashes.sha256Hex(fingerprint);
        String claimId = UUID.randomUUID().toString();
        Duration lease = (remaining == null || remaining.isNegative() ? Duration.ZERO : remaining).plus(LEASE_MARGIN);
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            WriteOutcome claim = table.transact(List.of(claim(pk, hash, claimId, now, now.plus(lease))));
            if (claim.committed()) {
                break;
            }
            Map<String, AttributeValue> record = table.get(pk, TableKeys.Idempotency.sk()).orElse(null);
            boolean gone = record == null || !Instant.parse(record.get("expiresAt").s()).isAfter(now);
            if (!gone && !hash.equals(record.get("fingerprint").s())) {
                throw new IdempotencyKeyReusedException();
            }
            if (!gone && record.containsKey("response")) {
                ObjectNode response = ItemCodec.toJson(record.get("response").m());
                return Json.read(response, StoredResponse.class);
            }
            boolean lapsed = gone || (record.containsKey("leaseUntil") && !Instant.parse(record.get("leaseUntil").s()).isAfter(now));
            if (!lapsed || attempt >= 3) {
                throw new RequestInProgressException();
            }
            // It lapsed, expired or was released between the two calls: claim again.
        }
        StoredResponse response;
        try {
            response = work.get();
        } catch (RuntimeException failure) {
            release(pk, claimId);
            throw failure;
        }
        if (response.status() >= 500) {
            release(pk, claimId);
        } else if (!store(pk, claimId, response).committed()) {
            // A repeat took the claim over after this one's lease lapsed; its record stands.
            System.out.println("{\"level\":\"WARN\",\"message\":\"idempotency claim was taken over; response not stored\"}");
        }
        return response;
    }

    private Write claim(String pk, String hash, String claimId, Instant now, Instant leaseUntil) {
        Instant expiresAt = now.plus(KEPT);
        return Write.of(TransactWriteItem.builder().put(Put.builder()
                .tableName(table.name())
                .item(Map.of(
                        "pk", AttributeValue.fromS(pk),
                        "sk", AttributeValue.fromS(TableKeys.Idempotency.sk()),
                        "fingerprint", AttributeValue.fromS(hash),
                        "claimId", AttributeValue.fromS(claimId),
                        "leaseUntil", AttributeValue.fromS(leaseUntil.toString()),
                        "expiresAt", AttributeValue.fromS(expiresAt.toString()),
                        "ttl", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond()))))
                // An expired record is as good as none (DynamoDB's TTL deletes late, and locally
                // never); an unanswered claim of the same request whose lease lapsed is abandoned.
                .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now"
                        + " OR (attribute_not_exists(#response) AND leaseUntil <= :now AND fingerprint = :hash)")
                .expressionAttributeNames(Map.of("#response", "response"))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromS(now.toString()), ":hash", AttributeValue.fromS(hash)))
                .build()).build());
    }

    /** Stores the response under this claim only; it is then kept 24 h from now. */
    private WriteOutcome store(String pk, String claimId, StoredResponse response) {
        Instant keptUntil = clock.instant().plus(KEPT);
        return table.update(UpdateItemRequest.builder()
                .key(Table.key(pk, TableKeys.Idempotency.sk()))
                .updateExpression("SET #response = :response, expiresAt = :kept, #ttl = :ttl REMOVE leaseUntil")
                .conditionExpression("claimId = :claim")
                .expressionAttributeNames(Map.of("#response", "response", "#ttl", "ttl"))
                .expressionAttributeValues(Map.of(
                        ":response", ItemCodec.toAttribute(Json.tree(response)),
                        ":kept", AttributeValue.fromS(keptUntil.toString()),
                        ":ttl", AttributeValue.fromN(Long.toString(keptUntil.getEpochSecond())),
                        ":claim", AttributeValue.fromS(claimId))));
    }

    /** Frees the key after a failure, only if this claim still holds it. */
    private void release(String pk, String claimId) {
        table.transact(List.of(Write.of(TransactWriteItem.builder().delete(Delete.builder()
                .tableName(table.name())
                .key(Table.key(pk, TableKeys.Idempotency.sk()))
                .conditionExpression("claimId = :claim AND attribute_not_exists(#response)")
                .expressionAttributeNames(Map.of("#response", "response"))
                .expressionAttributeValues(Map.of(":claim", AttributeValue.fromS(claimId)))
                .build()).build())));
    }
}
