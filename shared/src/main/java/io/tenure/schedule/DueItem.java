package io.tenure.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Set;

/**
 * One step that is to happen once at {@code dueAt}, with what it needs to do it ({@code payload}),
 * so a step reads at most its org (once per org per run) and, when it must act on the current
 * state, its target. {@code sentTo} lists the emails of the step already sent.
 */
public record DueItem(String orgId, DueKind kind, String targetId, Instant dueAt, String dueSk,
                      ObjectNode payload, Set<String> sentTo) {
    /** The payload as the record its feature wrote ({@code InvitationDue}, {@code MemberDue}, …). */
    public <T> T payload(Class<T> type) {
        return io.tenure.json.Json.read(payload, type);
    }
}
