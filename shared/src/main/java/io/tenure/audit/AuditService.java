package io.tenure.audit;

import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.store.Page;
import io.tenure.validation.Timestamps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The audit trail of an org (SPEC §3 {@code GET /orgs/{orgId}/audit}), newest first, for admins:
 * by time range (a range of the org's audit partition, since ids are time-ordered ULIDs), by
 * action, by target (GSI2 {@code TARGET#<id>}); as JSON pages or as CSV.
 */
public final class AuditService {
    /** The most rows one CSV export holds; narrow the range for more. */
    public static final int CSV_ROWS = 5000;
    /** The latest time a query takes. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final AuditStore store;
    private final MemberAccess access;

    public AuditService(AuditStore store, MemberAccess access) {
        this.store = store;
        this.access = access;
    }

    public Page<AuditEvent> list(Caller caller, String orgId, String since, String until, String action, String targetId,
                                 int limit, String cursor) {
        access.requireAdmin(caller, orgId);
        Instant from = instant("/since", since, Instant.EPOCH);
        Instant to = instant("/until", until, LATEST);
        if (from.isAfter(to)) {
            throw ValidationFailedException.of("/since", "must not be after until");
        }
        if (targetId != null) {
            List<AuditEvent> events = store.aboutTarget(targetId).stream()
                    .filter(e -> e.orgId().equals(orgId) && matches(e, from, to, action))
                    .sorted((a, b) -> b.id().compareTo(a.id()))
                    .collect(Collectors.toList());
            return new Page<>(events.subList(0, Math.min(limit, events.size())), null);
        }
        AuditStore.Range range = store.range(from, to);
        return store.newestFirst(orgId, range, limit, after(cursor, range), action);
    }

    /** The same events as CSV (RFC 4180), at most {@link #CSV_ROWS}; cells that a spreadsheet would run as formulas are quoted inert. */
    public String csv(Caller caller, String orgId, String since, String until, String action, String targetId) {
        StringBuilder out = new StringBuilder("id,at,actorType,actorId,actorEmail,action,targetType,targetId,changes,note,requestId,sourceIp,userAgent\r\n");
        String cursor = null;
        int rows = 0;
        do {
            Page<AuditEvent> page = list(caller, orgId, since, until, action, targetId, 100, cursor);
            for (AuditEvent e : page.items()) {
                List<String> cells = new ArrayList<>(List.of(e.id(), e.at().toString(), e.actor().type(), e.actor().id(),
                        nz(e.actor().email()), e.action(), e.target().type(), e.target().id(),
                        e.changes() == null ? "" : Json.write(e.changes()), nz(e.note()), nz(e.requestId()), nz(e.sourceIp()), nz(e.userAgent())));
                out.append(cells.stream().map(AuditService::cell).collect(Collectors.joining(","))).append("\r\n");
                rows++;
            }
            cursor = page.nextCursor();
        } while (cursor != null && rows < CSV_ROWS);
        return out.toString();
    }

    private static boolean matches(AuditEvent e, Instant from, Instant to, String action) {
        return !e.at().isBefore(from) && !e.at().isAfter(to) && (action == null || action.equals(e.action()));
    }

    private static Instant instant(String pointer, String value, Instant fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        Instant at;
        try {
            at = Timestamps.parse(value);
        } catch (DateTimeParseException e) {
            throw ValidationFailedException.of(pointer, "must be an ISO-8601 UTC time like 2026-11-24T09:00:00Z");
        }
        // Audit ids are ULIDs, whose clock starts at 1970 and cannot go negative: a time outside
        // these bounds has no range of ids and is refused rather than read as "everything".
        if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
            throw ValidationFailedException.of(pointer, "must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
        }
        return at;
    }

    /**
     * The sort key a cursor continues after. A cursor is opaque but comes from the caller: one that
     * does not decode to a key of this query's range is refused (DynamoDB would fail the query).
     */
    private static String after(String cursor, AuditStore.Range range) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String sk = Page.decodeCursor(cursor);
        if (sk == null || !range.holds(sk)) {
            throw ValidationFailedException.of("/cursor", "is not a cursor of this query; start again without it");
        }
        return sk;
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    private static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
