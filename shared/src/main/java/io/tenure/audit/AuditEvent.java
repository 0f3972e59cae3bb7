package io.tenure.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One audited change (SPEC §1). Never holds a token, a key secret or a request body.
 *
 * @param changes field name to {@code [before, after]}
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
        String userAgent) {

    /** One entry of {@code changes}: {@code [before, after]}, either of which may be null. */
    public static List<Object> change(Object before, Object after) {
        List<Object> change = new java.util.ArrayList<>(2);
        change.add(before);
        change.add(after);
        return change;
    }

    /** What was changed. */
    public record Target(String type, String id) {
    }
}
