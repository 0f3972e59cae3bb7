package io.tenure.audit;

import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.store.Page;
import io.tenure.validation.Timestamps;
import io.tenure.store.HashChain;
import java.time.Duration;
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
        StringBuilder out = new StringBuilder(
                "id,at,actorType,actorId,actorEmail,action,targetType,targetId,changes,note,requestId,sourceIp,userAgent,seq,prevHash,hash\r\n");
        String cursor = null;
        int rows = 0;
        do {
            Page<AuditEvent> page = list(caller, orgId, since, until, action, targetId, 100, cursor);
            for (AuditEvent e : page.items()) {
                List<String> cells = new ArrayList<>(List.of(e.id(), e.at().toString(), e.actor().type(), e.actor().id(),
                        nz(e.actor().email()), e.action(), e.target().type(), e.target().id(),
                        e.changes() == null ? "" : Json.write(e.changes()), nz(e.note()), nz(e.requestId()), nz(e.sourceIp()), nz(e.userAgent()),
                        e.seq() == null ? "" : e.seq().toString(), nz(e.prevHash()), nz(e.hash())));
                out.append(Csv.row(cells));
                rows++;
            }
            cursor = page.nextCursor();
        } while (cursor != null && rows < CSV_ROWS);
        return out.toString();
    }

    /** The most events one verification checks; a longer range answers where to continue. */
    public static final int VERIFY_EVENTS = 10_000;
    /**
     * Events are ordered in the chain when they commit but keyed by the time they were made, so a
     * neighbour in the chain may lie just outside the range: the walk reads this much more on each
     * side, to link the range's first and last events, and reports nothing about what lies outside.
     */
    static final Duration VERIFY_MARGIN = Duration.ofMinutes(1);

    /**
     * Walks the org's audit hash chain from {@code since} to {@code until} (both optional) and
     * says whether it holds and where it breaks. Admins only.
     */
    public ChainCheck verify(Caller caller, String orgId, String since, String until) {
        access.requireAdmin(caller, orgId);
        Instant from = instant("/since", since, Instant.EPOCH);
        Instant to = instant("/until", until, LATEST);
        if (from.isAfter(to)) {
            throw ValidationFailedException.of("/since", "must not be after until");
        }
        Instant readFrom = from.minus(VERIFY_MARGIN).isBefore(Instant.EPOCH) ? Instant.EPOCH : from.minus(VERIFY_MARGIN);
        Instant readTo = to.plus(VERIFY_MARGIN).isAfter(LATEST) ? LATEST : to.plus(VERIFY_MARGIN);
        int atMost = VERIFY_EVENTS + 2_000;
        // The head before the events: a change committed while the walk reads only adds events after it.
        HashChain.Head head = until == null ? store.chainHead(orgId) : null;
        List<AuditStore.ChainLink> read = store.chainLinks(orgId, readFrom, readTo, atMost);
        boolean complete = read.size() < atMost;
        Instant checkedTo = to;
        if (!complete) {
            // Stop a margin before the last event read, so that what follows it cannot be a neighbour.
            checkedTo = read.get(read.size() - 1).at().minus(VERIFY_MARGIN);
        }
        Instant end = checkedTo;
        java.util.function.Predicate<AuditStore.ChainLink> inRange = l -> !l.at().isBefore(from) && !l.at().isAfter(end);
        int unchained = (int) read.stream().filter(l -> l.seq() == null && inRange.test(l)).count();
        List<AuditStore.ChainLink> chain = read.stream().filter(l -> l.seq() != null)
                .sorted(java.util.Comparator.comparingLong(AuditStore.ChainLink::seq)).toList();
        List<ChainCheck.Break> breaks = new ArrayList<>();
        AuditStore.ChainLink before = null;
        int checked = 0;
        Long firstSeq = null;
        Long lastSeq = null;
        for (AuditStore.ChainLink link : chain) {
            if (inRange.test(link)) {
                checked++;
                firstSeq = firstSeq == null ? link.seq() : firstSeq;
                lastSeq = link.seq();
                if (!link.intact()) {
                    breaks.add(brk(link, ChainCheck.Problem.ALTERED, "Its content no longer gives its hash: it was changed after it was written."));
                }
                if (before == null) {
                    if (link.seq() == 1 && !HashChain.GENESIS.equals(link.prevHash())) {
                        breaks.add(brk(link, ChainCheck.Problem.UNLINKED, "It is the first event but does not start the chain."));
                    }
                } else if (link.seq().equals(before.seq())) {
                    breaks.add(brk(link, ChainCheck.Problem.DUPLICATE, "It has the same place in the chain as " + before.id() + "."));
                } else if (link.seq() == before.seq() + 1) {
                    if (!java.util.Objects.equals(link.prevHash(), before.hash())) {
                        breaks.add(brk(link, ChainCheck.Problem.UNLINKED, "Its prevHash is not the hash of " + before.id()
                                + " (seq " + before.seq() + ") before it: one of the two was replaced."));
                    }
                } else {
                    breaks.add(brk(link, ChainCheck.Problem.MISSING_BEFORE, missing(before.seq() + 1, link.seq() - 1)
                            + " missing between " + before.id() + " and it."));
                }
            }
            before = link;
        }
        if (complete && head != null && before != null) {
            // The whole trail up to now: the head (read first) says where the chain ended then.
            AuditStore.ChainLink last = before;
            AuditStore.ChainLink atHead = chain.stream().filter(l -> l.seq() == head.seq()).findFirst().orElse(null);
            if (head.seq() > last.seq()) {
                breaks.add(brk(last, ChainCheck.Problem.MISSING_AFTER, missing(last.seq() + 1, head.seq()) + " missing after it."));
            } else if (atHead != null && !head.hash().equals(atHead.hash())) {
                breaks.add(brk(atHead, ChainCheck.Problem.UNLINKED, "Its hash is not the one the chain's head recorded for it."));
            }
        }
        return new ChainCheck(breaks.isEmpty(), from, checkedTo, checked, unchained, firstSeq, lastSeq, List.copyOf(breaks), complete,
                complete ? null : checkedTo);
    }

    private static String missing(long first, long last) {
        return first == last ? "Event " + first + " of the chain is" : "Events " + first + " to " + last + " of the chain are";
    }

    private static ChainCheck.Break brk(AuditStore.ChainLink link, ChainCheck.Problem problem, String detail) {
        return new ChainCheck.Break(link.id(), link.seq(), link.at(), problem, detail);
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
}
