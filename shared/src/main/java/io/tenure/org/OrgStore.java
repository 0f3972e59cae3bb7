package io.tenure.org;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Organization, slug and project items. */
public final class OrgStore {
    private final Table table;

    public OrgStore(Table table) {
        this.table = table;
    }

    public Table table() {
        return table;
    }

    public Optional<Organization> find(String orgId) {
        return table.get(TableKeys.Org.pk(orgId), TableKeys.Org.sk())
                .map(item -> Json.read(ItemCodec.toJson(item), Organization.class));
    }

    public Optional<Project> findProject(String orgId, String projectId) {
        return table.get(TableKeys.Project.pk(orgId), TableKeys.Project.sk(projectId))
                .map(item -> Json.read(ItemCodec.toJson(item), Project.class));
    }

    /** Every project of the org, oldest first (ids sort by creation time). One Query. */
    public List<Project> projects(String orgId) {
        return table.queryPrefix(TableKeys.Project.pk(orgId), TableKeys.Project.SK_PREFIX).stream()
                .map(item -> Json.read(ItemCodec.toJson(item), Project.class))
                .sorted(Comparator.comparing(Project::id))
                .toList();
    }

    /** Transaction items creating the org (position 0) and claiming its slug (position 1). */
    public List<TransactWriteItem> create(Organization org) {
        ObjectNode node = Json.tree(org);
        node.put("pk", TableKeys.Org.pk(org.id()));
        node.put("sk", TableKeys.Org.sk());
        return List.of(
                putNew(ItemCodec.toItem(node)),
                putNew(Map.of(
                        "pk", AttributeValue.fromS(TableKeys.Slug.pk(org.slug())),
                        "sk", AttributeValue.fromS(TableKeys.Slug.sk()),
                        "orgId", AttributeValue.fromS(org.id()))));
    }

    /** Transaction item creating a project, only while its org exists. */
    public TransactWriteItem createProject(Project project) {
        ObjectNode node = Json.tree(project);
        node.put("pk", TableKeys.Project.pk(project.orgId()));
        node.put("sk", TableKeys.Project.sk(project.id()));
        return putNew(ItemCodec.toItem(node));
    }

    /** Replaces the org item while it still has version {@code expected} (position of a failed condition: the item). */
    public TransactWriteItem replaceOrg(Organization org, long expected) {
        ObjectNode node = Json.tree(org);
        node.put("pk", TableKeys.Org.pk(org.id()));
        node.put("sk", TableKeys.Org.sk());
        return replace(ItemCodec.toItem(node), expected);
    }

    /** Replaces the project item while it still has version {@code expected}. */
    public TransactWriteItem replaceProject(Project project, long expected) {
        ObjectNode node = Json.tree(project);
        node.put("pk", TableKeys.Project.pk(project.orgId()));
        node.put("sk", TableKeys.Project.sk(project.id()));
        return replace(ItemCodec.toItem(node), expected);
    }

    private TransactWriteItem replace(Map<String, AttributeValue> item, long expected) {
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(table.name())
                .item(item)
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(expected))))
                .build()).build();
    }

    private TransactWriteItem putNew(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(table.name())
                .item(item)
                .conditionExpression("attribute_not_exists(pk)")
                .build()).build();
    }
}
