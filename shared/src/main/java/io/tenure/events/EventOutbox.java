package io.tenure.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.AuditLog;
import io.tenure.json.Json;
import io.tenure.schedule.Deadline;
import io.tenure.store.ItemCodec;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Publishes the events of SPEC §10 from the transactional outbox: audit events marked on DueIndex
 * in the same write as their change. Each is claimed, sent, then unmarked, so a change yields its
 * event even when EventBridge is briefly down (the next run sends it) and overlapping runs do not
 * send it twice. Detail: ids, orgId, email (when the change names one), actor, time; never a token.
 */
public final class EventOutbox {
    private static final int BATCH = 10;
    private static final Duration CLAIM = Duration.ofMinutes(5);

    private final Table table;
    private final EventPublisher publisher;
    private final Clock clock;

    public EventOutbox(Table table, EventPublisher publisher, Clock clock) {
        this.table = table;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** Sends what is waiting; returns how many events were published and how many are left for the next run. */
    public Map<String, Object> run(Deadline deadline) {
        String runId = "run-" + UUID.randomUUID();
        int published = 0;
        int failed = 0;
        Instant now = clock.instant();
        String bound = now.truncatedTo(ChronoUnit.SECONDS).toString() + "#~";
        for (int shard = 0; shard < TableKeys.Due.SHARDS && !deadline.nearlyOver(); shard++) {
            Map<String, AttributeValue> after = null;
            List<Map<String, AttributeValue>> page;
            do {
                page = table.queryIndexUpTo(TableKeys.DUE_INDEX, "duePk", TableKeys.Due.duePk(AuditLog.OUTBOX_QUEUE, shard),
                        "dueSk", bound, BATCH, after);
                List<Map<String, AttributeValue>> claimed = new ArrayList<>();
                for (Map<String, AttributeValue> item : page) {
                    after = Map.of("duePk", item.get("duePk"), "dueSk", item.get("dueSk"), "pk", item.get("pk"), "sk", item.get("sk"));
                    if (claim(item, runId, now)) {
                        claimed.add(item);
                    }
                }
                if (claimed.isEmpty()) {
                    continue;
                }
                List<String> notSent;
                try {
                    notSent = publisher.publish(claimed.stream().map(this::event).toList());
                } catch (RuntimeException unavailable) {
                    notSent = claimed.stream().map(i -> i.get("id").s()).toList();
                }
                for (Map<String, AttributeValue> item : claimed) {
                    boolean sent = !notSent.contains(item.get("id").s());
                    settle(item, runId, sent);
                    if (sent) {
                        published++;
                    } else {
                        failed++;
                    }
                }
            } while (page.size() == BATCH && !deadline.nearlyOver());
        }
        Map<String, Object> summary = new java.util.LinkedHashMap<>();
        summary.put("queue", AuditLog.OUTBOX_QUEUE);
        summary.put("published", published);
        summary.put("failed", failed);
        System.out.println("{\"level\":\"INFO\",\"message\":\"events published\",\"summary\":" + Json.write(summary) + "}");
        return summary;
    }

    private boolean claim(Map<String, AttributeValue> item, String runId, Instant now) {
        return table.update(UpdateItemRequest.builder()
                .key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))
                .updateExpression("SET claimedBy = :run, claimUntil = :until")
                .conditionExpression("attribute_exists(duePk) AND (attribute_not_exists(claimUntil) OR claimUntil < :now)")
                .expressionAttributeValues(Map.of(":run", AttributeValue.fromS(runId),
                        ":until", AttributeValue.fromS(now.plus(CLAIM).toString()),
                        ":now", AttributeValue.fromS(now.toString())))).committed();
    }

    /** The email of the invitation or member an event is about (one read, in the publisher only). */
    private String subjectEmail(String orgId, String targetType, String targetId) {
        String sk = switch (targetType) {
            case "invitation" -> TableKeys.Invitation.sk(targetId);
            case "member" -> TableKeys.Member.sk(targetId);
            default -> null;
        };
        return sk == null ? null : table.get(TableKeys.Org.pk(orgId), sk)
                .map(i -> i.containsKey("email") ? i.get("email").s() : null).orElse(null);
    }

    /** Sent: the event leaves the outbox. Not sent: it is given back for the next run. */
    private void settle(Map<String, AttributeValue> item, String runId, boolean sent) {
        table.update(UpdateItemRequest.builder()
                .key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))
                .updateExpression(sent ? "REMOVE duePk, dueSk, claimedBy, claimUntil" : "REMOVE claimedBy, claimUntil")
                .conditionExpression("claimedBy = :run")
                .expressionAttributeValues(Map.of(":run", AttributeValue.fromS(runId))));
    }

    private EventPublisher.OutgoingEvent event(Map<String, AttributeValue> item) {
        ObjectNode audit = ItemCodec.toJson(item);
        ObjectNode detail = Json.object();
        detail.put("eventId", audit.path("id").asText());
        detail.put("orgId", audit.path("orgId").asText());
        detail.put(audit.path("target").path("type").asText() + "Id", audit.path("target").path("id").asText());
        String email = audit.path("changes").path("email").path(1).asText(null);
        if (email == null) {
            email = subjectEmail(audit.path("orgId").asText(), audit.path("target").path("type").asText(), audit.path("target").path("id").asText());
        }
        if (email != null) {
            detail.put("email", email);
        }
        detail.set("actor", audit.path("actor"));
        detail.put("time", audit.path("at").asText());
        return new EventPublisher.OutgoingEvent(audit.path("id").asText(), audit.path("action").asText(), detail.toString());
    }
}
