package io.tenure.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.AuditLog;
import io.tenure.json.Json;
import io.tenure.log.Log;
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
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Publishes the events of SPEC §10 from the transactional outbox: audit events marked on DueIndex
 * in the same write as their change. Each is claimed, sent, then unmarked, so a change yields its
 * event even when EventBridge is briefly down (the next run sends it) and overlapping runs do not
 * send it twice. Detail: ids, orgId, email (when the change names one), actor, time; never a token.
 *
 * <p>Each run ends with one CloudWatch Embedded Metric Format line on stdout:
 * {@code OutboxOldestAgeSeconds}, the age of the oldest event still waiting after the run (0 when
 * none), namespace {@code Tenure}, dimension {@code Stage}. It is taken from what the run reads
 * (DueIndex is sorted by due time within each shard), plus at most one one-item Query per shard
 * the run did not read to its end.
 */
public final class EventOutbox {
    /** The metric's namespace and name. */
    public static final String NAMESPACE = "Tenure";
    public static final String OLDEST_AGE_METRIC = "OutboxOldestAgeSeconds";

    private static final int BATCH = 10;
    private static final Duration CLAIM = Duration.ofMinutes(5);

    private final Table table;
    private final EventPublisher publisher;
    private final Clock clock;
    private final String stage;
    private final Consumer<String> metrics;

    /** An outbox for tests and tools: stage {@code local}, metric line on stdout. */
    public EventOutbox(Table table, EventPublisher publisher, Clock clock) {
        this(table, publisher, clock, "local", Log::metric);
    }

    /**
     * @param stage   the {@code Stage} dimension of the metric
     * @param metrics where the run's metric line goes ({@link Log#metric}, stdout, in Lambda); its
     *                log line goes to {@link Log}
     */
    public EventOutbox(Table table, EventPublisher publisher, Clock clock, String stage, Consumer<String> metrics) {
        this.table = table;
        this.publisher = publisher;
        this.clock = clock;
        this.stage = stage;
        this.metrics = metrics;
    }

    /** Sends what is waiting; returns how many events were published and how many are left for the next run. */
    public Map<String, Object> run(Deadline deadline) {
        String runId = "run-" + UUID.randomUUID();
        Counts counts = new Counts();
        Instant now = clock.instant();
        String bound = now.truncatedTo(ChronoUnit.SECONDS).toString() + "#~";
        Instant oldestWaiting = null;
        for (int shard = 0; shard < TableKeys.Due.SHARDS; shard++) {
            oldestWaiting = earliest(oldestWaiting, drain(shard, runId, now, bound, deadline, counts));
        }
        Map<String, Object> summary = new java.util.LinkedHashMap<>();
        summary.put("queue", AuditLog.OUTBOX_QUEUE);
        summary.put("published", counts.published);
        summary.put("failed", counts.failed);
        Log.info("events published", "summary", summary);
        Instant end = clock.instant();
        long oldestAge = oldestWaiting == null ? 0 : Math.max(0, Duration.between(oldestWaiting, end).getSeconds());
        metrics.accept(metricLine(end, stage, oldestAge));
        return summary;
    }

    /**
     * A dry run of {@link #run}'s read side: the first batch waiting in each shard, each turned into
     * its event as a run would send it; claims, sends and changes nothing. SnapStart priming runs it
     * before the snapshot (docs/snapstart.md).
     *
     * @return how many events those batches hold
     */
    public int peek() {
        String bound = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString() + "#~";
        int waiting = 0;
        for (int shard = 0; shard < TableKeys.Due.SHARDS; shard++) {
            String duePk = TableKeys.Due.duePk(AuditLog.OUTBOX_QUEUE, shard);
            List<Map<String, AttributeValue>> page = table.queryIndexUpTo(TableKeys.DUE_INDEX, "duePk", duePk, "dueSk", bound, BATCH, null);
            page.forEach(this::event);
            waiting += page.size();
        }
        return waiting;
    }

    /** What one run published and failed to publish. */
    private static final class Counts {
        int published;
        int failed;
    }

    /**
     * Publishes one shard's waiting events, a batch at a time, until the shard is read or the
     * deadline nears. Answers the oldest event still waiting in it as far as this run knows (null: none).
     */
    private Instant drain(int shard, String runId, Instant now, String bound, Deadline deadline, Counts counts) {
        String duePk = TableKeys.Due.duePk(AuditLog.OUTBOX_QUEUE, shard);
        Map<String, AttributeValue> after = null;
        Instant oldest = null;
        while (!deadline.nearlyOver()) {
            List<Map<String, AttributeValue>> page = table.queryIndexUpTo(TableKeys.DUE_INDEX, "duePk", duePk, "dueSk", bound, BATCH, after);
            List<Map<String, AttributeValue>> claimed = new ArrayList<>();
            for (Map<String, AttributeValue> item : page) {
                after = indexKey(item);
                if (claim(item, runId, now)) {
                    claimed.add(item);
                } else if (oldest == null) {
                    oldest = dueAt(item); // another run holds it: still waiting as far as this run knows
                }
            }
            oldest = earliest(oldest, publish(claimed, runId, counts));
            if (page.size() < BATCH) {
                return oldest;
            }
        }
        if (oldest == null) {
            // Stopped before the end of this shard: what is left starts at the next item.
            oldest = table.queryIndexUpTo(TableKeys.DUE_INDEX, "duePk", duePk, "dueSk", bound, 1, after).stream()
                    .findFirst().map(EventOutbox::dueAt).orElse(null);
        }
        return oldest;
    }

    /** Publishes the claimed events and settles each; answers the oldest that was not sent (null: all were). */
    private Instant publish(List<Map<String, AttributeValue>> claimed, String runId, Counts counts) {
        if (claimed.isEmpty()) {
            return null;
        }
        List<String> notSent;
        try {
            notSent = publisher.publish(claimed.stream().map(this::event).toList());
        } catch (RuntimeException unavailable) {
            notSent = claimed.stream().map(i -> i.get("id").s()).toList();
        }
        Instant oldest = null;
        for (Map<String, AttributeValue> item : claimed) {
            boolean sent = !notSent.contains(item.get("id").s());
            settle(item, runId, sent);
            if (sent) {
                counts.published++;
            } else {
                counts.failed++;
                oldest = earliest(oldest, dueAt(item));
            }
        }
        return oldest;
    }

    /**
     * One Embedded Metric Format document on one line: {@code OutboxOldestAgeSeconds} (Seconds) in
     * namespace {@code Tenure} with dimension {@code Stage}.
     */
    static String metricLine(Instant at, String stage, long oldestAgeSeconds) {
        ObjectNode line = Json.object();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Stage");
        directive.putArray("Metrics").addObject().put("Name", OLDEST_AGE_METRIC).put("Unit", "Seconds");
        line.put("Stage", stage);
        line.put(OLDEST_AGE_METRIC, oldestAgeSeconds);
        return line.toString();
    }

    private static Map<String, AttributeValue> indexKey(Map<String, AttributeValue> item) {
        return Map.of("duePk", item.get("duePk"), "dueSk", item.get("dueSk"), "pk", item.get("pk"), "sk", item.get("sk"));
    }

    /** The due time at the head of the index sort key ({@code <dueAt>#event#<id>}). */
    private static Instant dueAt(Map<String, AttributeValue> item) {
        String dueSk = item.get("dueSk").s();
        return Instant.parse(dueSk.substring(0, dueSk.indexOf('#')));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
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
            case "invitationRequest" -> TableKeys.InvitationRequest.sk(targetId);
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
