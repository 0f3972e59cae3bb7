package io.tenure.audit;

import io.tenure.store.Write;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import io.tenure.store.TableKeys;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes audit events as part of the transaction that makes the change, so a change and its audit
 * event are committed together or not at all. Events of SPEC §10 are marked for publishing in the
 * same write (a transactional outbox). Each org's events form a hash chain ({@link
 * io.tenure.store.HashChain}): the transaction numbers and hashes each event after the one before.
 */
public final class AuditLog {
    /** The DueIndex queue of audit events still to publish on EventBridge. */
    public static final String OUTBOX_QUEUE = "events";
    /** The actions published as EventBridge events (SPEC §10), with the action as detail type. */
    public static final java.util.Set<String> PUBLISHED = java.util.Set.of("invitation.created", "invitation.resent",
            "invitation.accepted", "invitation.revoked", "invitation.expired", "invitation.delivery_failed", "member.updated",
            "member.removed", "member.access_ending", "member.access_ended", "review.digest_sent",
            // Issue 14: invitation requests and their decisions.
            "invitation_request.created", "invitation_request.approved", "invitation_request.denied", "invitation_request.expired");

    public AuditLog() {
    }

    /** The transaction item that stores this event; it expires after the org's retention. */
    public Write put(AuditEvent event, int retentionDays) {
        ObjectNode node = Json.tree(event);
        node.put("pk", TableKeys.Audit.pk(event.orgId()));
        node.put("sk", TableKeys.Audit.sk(event.id()));
        node.put("gsi2pk", TableKeys.Audit.gsi2pk(event.target().id()));
        node.put("gsi2sk", TableKeys.Audit.sk(event.id()));
        node.put("ttl", expiry(event.at(), retentionDays).getEpochSecond());
        if (PUBLISHED.contains(event.action())) {
            // The audit event is its own outbox entry: the events publisher finds it on DueIndex.
            node.put("duePk", TableKeys.Due.duePk(OUTBOX_QUEUE, event.id()));
            node.put("dueSk", TableKeys.Due.dueSk(event.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), "event", event.id()));
        }
        return Write.linked(TableKeys.Audit.pk(event.orgId()), TableKeys.Audit.HEAD_SK, ItemCodec.toItem(node), UNHASHED);
    }

    /**
     * What an event's hash leaves out: its keys, which its id and target already say, and the
     * outbox's bookkeeping, which the events publisher changes after the write.
     */
    public static final java.util.Set<String> UNHASHED = java.util.Set.of("pk", "sk", "gsi2pk", "gsi2sk", "duePk", "dueSk",
            "claimedBy", "claimUntil");

    private static Instant expiry(Instant at, int retentionDays) {
        return at.plus(Duration.ofDays(retentionDays));
    }
}
