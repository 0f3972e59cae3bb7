package io.tenure.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * API key items: the key as admins see it ({@link TableKeys.ApiKey}, with the secret's hash) and
 * its lookup by secret hash ({@link TableKeys.ApiKeyLookup}), which the identify API reads.
 */
public final class ApiKeyStore {
    private final Table table;

    public ApiKeyStore(Table table) {
        this.table = table;
    }

    /** What revoking needs of a stored key. */
    public record KeyState(String projectId, boolean revoked, String secretHash) {
    }

    /** The key of the org (one consistent GetItem), whichever project it belongs to. */
    public Optional<KeyState> find(String orgId, String keyId) {
        return table.get(TableKeys.ApiKey.pk(orgId), TableKeys.ApiKey.sk(keyId)).map(item -> new KeyState(
                item.get("projectId").s(), item.get("revoked").bool(), item.get("secretHash").s()));
    }

    /** The writes that store a new key and its lookup, each only if its item is new. */
    public List<Write> create(ApiKey key, String secretHash) {
        ObjectNode node = Json.tree(key);
        node.put("pk", TableKeys.ApiKey.pk(key.orgId()));
        node.put("sk", TableKeys.ApiKey.sk(key.id()));
        node.put("secretHash", secretHash);
        return List.of(
                putNew(ItemCodec.toItem(node)),
                putNew(Map.of(
                        "pk", AttributeValue.fromS(TableKeys.ApiKeyLookup.pk(secretHash)),
                        "sk", AttributeValue.fromS(TableKeys.ApiKeyLookup.sk()),
                        "keyId", AttributeValue.fromS(key.id()),
                        "orgId", AttributeValue.fromS(key.orgId()),
                        "projectId", AttributeValue.fromS(key.projectId()))));
    }

    /** The writes that mark a key revoked and delete its lookup, so the secret stops at once. */
    public List<Write> revoke(String orgId, String keyId, String secretHash) {
        return List.of(
                Write.of(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                        .key(Table.key(TableKeys.ApiKey.pk(orgId), TableKeys.ApiKey.sk(keyId)))
                        .updateExpression("SET revoked = :yes")
                        .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true)))
                        .build()).build()),
                Write.of(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                        .key(Table.key(TableKeys.ApiKeyLookup.pk(secretHash), TableKeys.ApiKeyLookup.sk()))
                        .build()).build()));
    }

    /** Commits writes of this and other stores (the audit event) as one transaction. */
    public WriteOutcome commit(List<Write> writes) {
        return table.transact(writes);
    }

    private Write putNew(Map<String, AttributeValue> item) {
        return Write.of(TransactWriteItem.builder().put(Put.builder().tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
    }
}
