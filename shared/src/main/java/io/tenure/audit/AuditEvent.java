package io.tenure.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One audited change (SPEC §1), in its stored shape. Never holds a token, a key secret or a
 * request body. Made with {@link #of} and the {@code with…}/{@link #from} steps, e.g.
 * {@code AuditEvent.of(id, orgId, now, actor, "member.removed", Target.member(memberId))
 * .withChanges(changes).withNote(reason).from(origin)}.
 *
 * @param changes field name to {@code [before, after]}
 * @param seq the event's place in the org's audit hash chain (1, 2, …); null until stored
 * @param prevHash the hash of the event before it in the chain (64 zeros for the first)
 * @param hash this event's hash (docs/data-model.md "The audit hash chain")
 */
public record AuditEvent(
        String id,
        String orgId,
        Instant at,
        Actor actor,
        String action,
        Target target,
        Map<String, List<Object>> changes,
        String note,
        String requestId,
        String sourceIp,
        String userAgent,
        Long seq,
        String prevHash,
        String hash) {

    /** An event with no changes, no note and no request (as the schedules write them); add those with the steps below. */
    public static AuditEvent of(String id, String orgId, Instant at, Actor actor, String action, Target target) {
        return new AuditEvent(id, orgId, at, actor, action, target, Map.of(), null, null, null, null, null, null, null);
    }

    public AuditEvent withChanges(Map<String, List<Object>> newChanges) {
        return new AuditEvent(id, orgId, at, actor, action, target, newChanges, note, requestId, sourceIp, userAgent, seq, prevHash, hash);
    }

    /** The event with one change, {@code field: [before, after]}, as its only change. */
    public AuditEvent withChange(String field, Object before, Object after) {
        return withChanges(Map.of(field, change(before, after)));
    }

    public AuditEvent withNote(String newNote) {
        return new AuditEvent(id, orgId, at, actor, action, target, changes, newNote, requestId, sourceIp, userAgent, seq, prevHash, hash);
    }

    /** The event made by the request {@code origin} describes. */
    public AuditEvent from(RequestOrigin origin) {
        return new AuditEvent(id, orgId, at, actor, action, target, changes, note, origin.requestId(), origin.sourceIp(),
                origin.userAgent(), seq, prevHash, hash);
    }

    /** One entry of {@code changes}: {@code [before, after]}, either of which may be null. */
    public static List<Object> change(Object before, Object after) {
        List<Object> change = new java.util.ArrayList<>(2);
        change.add(before);
        change.add(after);
        return change;
    }

    /** What was changed. */
    public record Target(String type, String id) {
        public static Target org(String orgId) {
            return new Target("org", orgId);
        }

        public static Target project(String projectId) {
            return new Target("project", projectId);
        }

        public static Target member(String memberId) {
            return new Target("member", memberId);
        }

        public static Target invitation(String invitationId) {
            return new Target("invitation", invitationId);
        }

        public static Target apiKey(String keyId) {
            return new Target("apiKey", keyId);
        }

        public static Target review(String campaignId) {
            return new Target("review", campaignId);
        }

        public static Target invitationRequest(String requestId) {
            return new Target("invitationRequest", requestId);
        }

        public static Target app(String appId) {
            return new Target("app", appId);
        }
    }
}
