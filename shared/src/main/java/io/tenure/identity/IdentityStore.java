package io.tenure.identity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.id.Hashes;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The identify API's items (docs/data-model.md): the app ({@link TableKeys.App}), API key lookups,
 * identities ({@link TableKeys.Identity}), user id links ({@link TableKeys.IdentityUser}) and the
 * per-identity request windows ({@link TableKeys.RateWindow}). Every read of a request is one
 * BatchGetItem ({@link #read}) and every change one transaction that also counts the request, so
 * identify stays at two DynamoDB requests. {@link IdentityService} makes the decisions.
 */
public final class IdentityStore {
    /** Scope of the per-identity request windows. */
    private static final String RATE_SCOPE = "identify";
    /** How long a request window's item is kept after the window starts (DynamoDB's TTL drops it). */
    private static final long WINDOW_KEPT_SECONDS = 3600;
    /** User id links deleted per transaction when erasing, under DynamoDB's 100 items with room for the rest. */
    private static final int ERASE_BATCH = 90;

    /** What a failed condition of this store's writes means. */
    private enum Refusal {
        /** The request window is full. */
        RATE_LIMITED
    }

    /** How an identify write ended. */
    public enum LinkOutcome {
        LINKED,
        /** The identity's request window was full; nothing was written. */
        RATE_LIMITED,
        /** The link or the identity changed since it was read; nothing was written. */
        CHANGED
    }

    /** How a write of properties ended. */
    public enum PropertiesOutcome {
        SAVED,
        /** The identity's request window was full; nothing was written. */
        RATE_LIMITED,
        /** The identity changed since it was read; nothing was written. */
        CHANGED,
        /** The identity would exceed DynamoDB's item size; nothing was written. */
        TOO_LARGE
    }

    /** What identify needs of a project's app item. */
    public record AppSettings(String orgId, String identityHashing, boolean keylessIdentify, String hmacKey) {
    }

    /** An API key's lookup by secret hash. */
    public record ApiKeyLookup(String keyId, String orgId, String projectId) {
    }

    /**
     * An identity as stored.
     *
     * @param identity   as stored (raw, or {@code h1:<hex>} with hashing on)
     * @param recent     when user ids were newly linked (epoch seconds), as stored, unfiltered
     * @param properties names to string or number values; null if the item has none
     * @param version    bumped by every change of the identity, which is conditional on it
     */
    public record Identity(String appId, String identity, List<Long> userIds, List<Long> recent, ObjectNode properties,
                           String firstSeen, String lastSeen, Long version) {
    }

    /** The request window counted by a write: at most {@code limit} requests from {@code start} (epoch seconds). */
    public record RequestWindow(long start, int limit) {
    }

    /**
     * What one read found.
     *
     * @param appFound       whether the app_id is a project (its item read fresh, for the archived flag)
     * @param key            the API key's lookup, when a key was sent and it exists
     * @param linkedIdentity the identity the user id is linked to, when one was asked for and is linked
     */
    public record Snapshot(boolean appFound, boolean archived, Optional<ApiKeyLookup> key, Optional<Identity> identity,
                           Optional<String> linkedIdentity) {
    }

    private final Table table;

    public IdentityStore(Table table) {
        this.table = table;
    }

    /** The app's settings (one consistent GetItem); empty when the app_id is no project. */
    public Optional<AppSettings> app(String appId) {
        return table.get(TableKeys.App.pk(appId), TableKeys.App.sk()).map(item -> {
            ObjectNode settings = ItemCodec.toJson(item.get("settings").m());
            return new AppSettings(item.get("orgId").s(), settings.path("identityHashing").asText(),
                    settings.path("keylessIdentify").asBoolean(false), item.containsKey("hmacKey") ? item.get("hmacKey").s() : null);
        });
    }

    /**
     * One BatchGetItem of the identity ({@code storedIdentity} not null), the user id's link
     * ({@code userId} not null), the app item and the API key's lookup ({@code secretHash} not null).
     */
    public Snapshot read(String appId, String secretHash, String storedIdentity, Long userId) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        if (storedIdentity != null) {
            keys.add(Table.key(TableKeys.Identity.pk(appId, storedIdentity), TableKeys.Identity.sk()));
        }
        if (userId != null) {
            keys.add(Table.key(TableKeys.IdentityUser.pk(appId, userId), TableKeys.IdentityUser.sk()));
        }
        keys.add(Table.key(TableKeys.App.pk(appId), TableKeys.App.sk()));
        if (secretHash != null) {
            keys.add(Table.key(TableKeys.ApiKeyLookup.pk(secretHash), TableKeys.ApiKeyLookup.sk()));
        }
        Map<String, Map<String, AttributeValue>> found = table.getAll(keys);
        Map<String, AttributeValue> app = found.get(TableKeys.App.pk(appId));
        Map<String, AttributeValue> key = secretHash == null ? null : found.get(TableKeys.ApiKeyLookup.pk(secretHash));
        Map<String, AttributeValue> person = storedIdentity == null ? null : found.get(TableKeys.Identity.pk(appId, storedIdentity));
        Map<String, AttributeValue> link = userId == null ? null : found.get(TableKeys.IdentityUser.pk(appId, userId));
        return new Snapshot(app != null,
                app != null && app.containsKey("archived") && Boolean.TRUE.equals(app.get("archived").bool()),
                Optional.ofNullable(key).map(k -> new ApiKeyLookup(text(k, "keyId"), text(k, "orgId"), text(k, "projectId"))),
                Optional.ofNullable(person).map(IdentityStore::identity),
                Optional.ofNullable(link).map(l -> l.get("identity").s()));
    }

    /**
     * Counts the request and, only if {@code userId} is still linked to {@code stored}, records
     * the identity as seen at {@code at} (when the identity exists). One transaction.
     */
    public LinkOutcome confirmLink(String appId, String stored, long userId, boolean identityExists, RequestWindow window, Instant at) {
        List<Write> writes = new ArrayList<>();
        writes.add(countRequest(appId, stored, window));
        writes.add(Write.of(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table.name())
                .key(Table.key(TableKeys.IdentityUser.pk(appId, userId), TableKeys.IdentityUser.sk()))
                .conditionExpression("#identity = :identity")
                .expressionAttributeNames(Map.of("#identity", "identity"))
                .expressionAttributeValues(Map.of(":identity", AttributeValue.fromS(stored))).build()).build()));
        if (identityExists) {
            writes.add(seen(appId, stored, at));
        }
        return linkOutcome(table.transact(writes));
    }

    /**
     * Counts the request and links the new {@code userId} to {@code stored}: creates the identity
     * when {@code person} is null, else appends the user id to it (only if unchanged since read).
     * {@code recent} replaces the identity's list of new-link times. One transaction.
     */
    public LinkOutcome link(String appId, String stored, long userId, Identity person, List<Long> recent, RequestWindow window,
                            Instant at) {
        List<Write> writes = new ArrayList<>();
        writes.add(countRequest(appId, stored, window));
        writes.add(Write.of(TransactWriteItem.builder().put(Put.builder().tableName(table.name())
                .item(Map.of("pk", AttributeValue.fromS(TableKeys.IdentityUser.pk(appId, userId)),
                        "sk", AttributeValue.fromS(TableKeys.IdentityUser.sk()),
                        "appId", AttributeValue.fromS(appId),
                        "userId", AttributeValue.fromN(Long.toString(userId)),
                        "identity", AttributeValue.fromS(stored)))
                .conditionExpression("attribute_not_exists(pk)").build()).build()));
        writes.add(person == null ? newIdentity(appId, stored, List.of(userId), JsonNodeFactory.instance.objectNode(), recent, at)
                : linkUser(appId, stored, person, userId, recent, at));
        return linkOutcome(table.transact(writes));
    }

    /**
     * Counts the request and sets the identity's properties to {@code properties} (all of them),
     * creating the identity when {@code person} is null, else only if unchanged since read.
     */
    public PropertiesOutcome setProperties(String appId, String stored, Identity person, ObjectNode properties, RequestWindow window,
                                           Instant now) {
        Write write = person == null
                ? newIdentity(appId, stored, List.of(), properties, List.of(), now)
                : Write.of(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                        .key(Table.key(TableKeys.Identity.pk(appId, stored), TableKeys.Identity.sk()))
                        .updateExpression("SET properties = :properties, lastSeen = :now, version = version + :one")
                        .conditionExpression("version = :version")
                        .expressionAttributeValues(Map.of(":properties", AttributeValue.fromM(ItemCodec.toItem(properties)),
                                ":now", AttributeValue.fromS(now.toString()), ":one", AttributeValue.fromN("1"),
                                ":version", AttributeValue.fromN(person.version().toString()))).build()).build());
        WriteOutcome outcome;
        try {
            outcome = table.transact(List.of(countRequest(appId, stored, window), write));
        } catch (DynamoDbException e) {
            // DynamoDB refuses an item over 400 KB as a validation error that names the size.
            if (e.getMessage() != null && e.getMessage().contains("size")) {
                return PropertiesOutcome.TOO_LARGE;
            }
            throw e;
        }
        if (outcome.committed()) {
            return PropertiesOutcome.SAVED;
        }
        return outcome.refusedAs(Refusal.RATE_LIMITED) ? PropertiesOutcome.RATE_LIMITED : PropertiesOutcome.CHANGED;
    }

    /**
     * Deletes every link of {@code userIds} that still points to {@code stored} (in transactions
     * of {@value #ERASE_BATCH}), then the identity with the audit event {@code audit} gives. The
     * event is asked for only then, so it is made when the erasure ends. False, and nothing more
     * deleted, when a batch was cancelled because a link changed.
     */
    public boolean erase(String appId, String stored, List<Long> userIds, Supplier<Write> audit) {
        List<Write> deletes = new ArrayList<>();
        for (long userId : userIds) {
            deletes.add(Write.of(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                    .key(Table.key(TableKeys.IdentityUser.pk(appId, userId), TableKeys.IdentityUser.sk()))
                    .conditionExpression("attribute_not_exists(pk) OR #identity = :identity")
                    .expressionAttributeNames(Map.of("#identity", "identity"))
                    .expressionAttributeValues(Map.of(":identity", AttributeValue.fromS(stored))).build()).build()));
            if (deletes.size() == ERASE_BATCH) {
                if (!table.transact(deletes).committed()) {
                    return false;
                }
                deletes = new ArrayList<>();
            }
        }
        deletes.add(Write.of(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                .key(Table.key(TableKeys.Identity.pk(appId, stored), TableKeys.Identity.sk())).build()).build()));
        deletes.add(audit.get());
        return table.transact(deletes).committed();
    }

    // ------------------------------------------------------------------ writes

    /** Counts one request in the identity's window; refused when the window is full. The subject is hashed, so no identity is in a key. */
    private Write countRequest(String appId, String stored, RequestWindow window) {
        return table.countUpTo(TableKeys.RateWindow.pk(RATE_SCOPE, Hashes.sha256Hex(appId + "\n" + stored)),
                TableKeys.RateWindow.sk(window.start()), window.limit(), window.start() + WINDOW_KEPT_SECONDS)
                .refusedAs(Refusal.RATE_LIMITED);
    }

    private static LinkOutcome linkOutcome(WriteOutcome outcome) {
        if (outcome.committed()) {
            return LinkOutcome.LINKED;
        }
        return outcome.refusedAs(Refusal.RATE_LIMITED) ? LinkOutcome.RATE_LIMITED : LinkOutcome.CHANGED;
    }

    private Write newIdentity(String appId, String stored, List<Long> userIds, ObjectNode properties, List<Long> recent, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(TableKeys.Identity.pk(appId, stored)));
        item.put("sk", AttributeValue.fromS(TableKeys.Identity.sk()));
        item.put("appId", AttributeValue.fromS(appId));
        item.put("identity", AttributeValue.fromS(stored));
        item.put("userIds", numbers(userIds));
        item.put("recent", numbers(recent));
        item.put("properties", AttributeValue.fromM(ItemCodec.toItem(properties)));
        item.put("firstSeen", AttributeValue.fromS(at.toString()));
        item.put("lastSeen", AttributeValue.fromS(at.toString()));
        item.put("version", AttributeValue.fromN("1"));
        return Write.of(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
    }

    private Write linkUser(String appId, String stored, Identity person, long userId, List<Long> recent, Instant at) {
        return Write.of(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(TableKeys.Identity.pk(appId, stored), TableKeys.Identity.sk()))
                .updateExpression("SET userIds = list_append(userIds, :user), recent = :recent, lastSeen = :at, version = version + :one")
                .conditionExpression("version = :version")
                .expressionAttributeValues(Map.of(
                        ":user", numbers(List.of(userId)),
                        ":recent", numbers(recent),
                        ":at", AttributeValue.fromS(at.toString()),
                        ":one", AttributeValue.fromN("1"),
                        ":version", AttributeValue.fromN(person.version().toString())))
                .build()).build());
    }

    private Write seen(String appId, String stored, Instant at) {
        return Write.of(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                .key(Table.key(TableKeys.Identity.pk(appId, stored), TableKeys.Identity.sk()))
                .updateExpression("SET lastSeen = :at")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(at.toString())))
                .build()).build());
    }

    // ------------------------------------------------------------------ decoding

    private static Identity identity(Map<String, AttributeValue> item) {
        return new Identity(text(item, "appId"), text(item, "identity"), longs(item, "userIds"), longs(item, "recent"),
                item.containsKey("properties") ? ItemCodec.toJson(item.get("properties").m()) : null,
                text(item, "firstSeen"), text(item, "lastSeen"),
                item.containsKey("version") ? Long.valueOf(item.get("version").n()) : null);
    }

    private static AttributeValue numbers(List<Long> values) {
        return AttributeValue.fromL(values.stream().map(v -> AttributeValue.fromN(Long.toString(v))).toList());
    }

    private static List<Long> longs(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).l().stream().map(v -> Long.parseLong(v.n())).toList() : List.of();
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }
}
