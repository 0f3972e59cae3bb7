package io.tenure.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;
import io.tenure.store.Found;
import io.tenure.store.ItemCodec;
import io.tenure.store.Page;
import io.tenure.store.Read;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.Write;
import io.tenure.store.WriteOutcome;
import io.tenure.value.ReviewStatus;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Access review campaigns and their items ({@link TableKeys.Review}). A campaign and its items are
 * replaced whole on each decision, each on the condition that it is as it was read.
 */
public final class ReviewStore {
    /** What a failed condition of a review write means. */
    public enum Refusal {
        /** Another campaign of the org is open. */
        ONE_OPEN,
        /** The item was decided meanwhile. */
        ITEM_DECIDED
    }

    private final Table table;

    public ReviewStore(Table table) {
        this.table = table;
    }

    public Read<ReviewCampaign> campaignRead(String orgId, String campaignId) {
        return Read.of(TableKeys.Review.pk(orgId), TableKeys.Review.sk(campaignId), item -> read(item, ReviewCampaign.class));
    }

    public Read<ReviewItem> itemRead(String orgId, String campaignId, String memberId) {
        return Read.of(TableKeys.Review.pk(orgId), TableKeys.Review.itemSk(campaignId, memberId), item -> read(item, ReviewItem.class));
    }

    public java.util.Optional<ReviewCampaign> find(String orgId, String campaignId) {
        return table.find(campaignRead(orgId, campaignId));
    }

    public Found read(Read<?>... reads) {
        return table.read(reads);
    }

    /** The org's campaigns, newest first. */
    public Page<ReviewCampaign> campaigns(String orgId, int limit, String afterSk) {
        return table.queryPage(TableKeys.Review.pk(orgId), TableKeys.Review.SK_PREFIX, limit, afterSk, true)
                .map(item -> read(item, ReviewCampaign.class));
    }

    /** Every item of a campaign, by member id. */
    public List<ReviewItem> items(String orgId, String campaignId) {
        return table.queryPrefix(TableKeys.Review.pk(orgId), TableKeys.Review.itemPrefix(campaignId)).stream()
                .map(item -> read(item, ReviewItem.class)).toList();
    }

    /** A new campaign; fails (as {@link Refusal#ONE_OPEN}) while another campaign of the org is open. */
    public List<Write> open(ReviewCampaign campaign) {
        Map<String, AttributeValue> guard = Map.of("pk", AttributeValue.fromS(TableKeys.Review.pk(campaign.orgId())),
                "sk", AttributeValue.fromS(TableKeys.Review.OPEN_SK), "campaignId", AttributeValue.fromS(campaign.id()));
        return List.of(put(node(campaign, TableKeys.Review.sk(campaign.id())), "attribute_not_exists(pk)", Map.of()),
                put(guard, "attribute_not_exists(pk)", Map.of()).refusedAs(Refusal.ONE_OPEN));
    }

    /** An item as the campaign opened it; a retry rewrites it, but never one already decided. */
    public Write putItem(ReviewItem item) {
        return put(node(item, TableKeys.Review.itemSk(item.campaignId(), item.memberId())),
                "attribute_not_exists(pk) OR attribute_not_exists(decision)", Map.of());
    }

    /** The item decided, only while it is still undecided. */
    public Write decide(ReviewItem decided) {
        return put(node(decided, TableKeys.Review.itemSk(decided.campaignId(), decided.memberId())),
                "attribute_exists(pk) AND attribute_not_exists(decision)", Map.of()).refusedAs(Refusal.ITEM_DECIDED);
    }

    /** The campaign as {@code next}, only while it is still open at the version {@code next} was made from. */
    public Write replace(ReviewCampaign next) {
        return put(node(next, TableKeys.Review.sk(next.id())), "#status = :open AND version = :read", Map.of(
                ":open", AttributeValue.fromS(ReviewStatus.OPEN.json()),
                ":read", AttributeValue.fromN(Long.toString(next.version() - 1))));
    }

    /**
     * Records the reminder or the escalation ({@code field} is {@code remindedAt} or
     * {@code escalatedAt}) once, while the campaign is open; the version moves, so a decision read
     * before it reads again instead of losing it.
     */
    public Write mark(String orgId, String campaignId, String field, java.time.Instant at) {
        return Write.of(TransactWriteItem.builder().update(software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(table.name()).key(Table.key(TableKeys.Review.pk(orgId), TableKeys.Review.sk(campaignId)))
                .updateExpression("SET #field = :at, version = version + :one")
                .conditionExpression("attribute_exists(pk) AND #status = :open AND attribute_not_exists(#field)")
                .expressionAttributeNames(Map.of("#field", field, "#status", "status"))
                .expressionAttributeValues(Map.of(":at", AttributeValue.fromS(at.toString()), ":one", AttributeValue.fromN("1"),
                        ":open", AttributeValue.fromS(ReviewStatus.OPEN.json()))).build()).build());
    }

    /** The id of the org's open campaign, if one is open (its guard: one GetItem). */
    public java.util.Optional<String> openCampaignId(String orgId) {
        return table.find(Read.of(TableKeys.Review.pk(orgId), TableKeys.Review.OPEN_SK, item -> item.get("campaignId").s()));
    }

    /** The org's open-campaign guard goes with the campaign it names. */
    public Write closeGuard(String orgId, String campaignId) {
        return Write.of(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                .key(Table.key(TableKeys.Review.pk(orgId), TableKeys.Review.OPEN_SK))
                .conditionExpression("campaignId = :id")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(campaignId))).build()).build());
    }

    public WriteOutcome commit(List<Write> writes) {
        return table.transact(writes);
    }

    private Map<String, AttributeValue> node(Object value, String sk) {
        ObjectNode node = Json.tree(value);
        node.put("pk", TableKeys.Review.pk(node.path("orgId").asText()));
        node.put("sk", sk);
        return ItemCodec.toItem(node);
    }

    private Write put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        Put.Builder put = Put.builder().tableName(table.name()).item(item).conditionExpression(condition);
        if (!values.isEmpty()) {
            put.expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values);
        }
        return Write.of(TransactWriteItem.builder().put(put.build()).build());
    }

    private static <T> T read(Map<String, AttributeValue> item, Class<T> type) {
        return Json.read(ItemCodec.toJson(item), type);
    }
}
