package io.tenure.audit;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /orgs/{orgId}/audit/verify} found walking an org's audit hash chain over a time
 * range (docs/data-model.md "The audit hash chain").
 *
 * @param holds whether every event checked is as written and linked to the one before it
 * @param since the start of the range checked
 * @param until the end of the range checked; when {@code complete} is false, ask again from {@code nextSince}
 * @param eventsChecked the chained events in the range
 * @param unchained events in the range written before the chain existed, which nothing can check
 * @param firstSeq the lowest chain number checked (null: none)
 * @param lastSeq the highest chain number checked (null: none)
 * @param breaks where the chain breaks, in chain order; empty when it holds
 * @param complete whether the whole range was checked
 * @param nextSince where to continue when it was not
 */
public record ChainCheck(boolean holds, Instant since, Instant until, int eventsChecked, int unchained, Long firstSeq,
                         Long lastSeq, List<Break> breaks, boolean complete, Instant nextSince) {

    /** The ways a chain breaks. */
    public enum Problem {
        /** The event's content no longer gives its hash: it was changed after it was written. */
        ALTERED,
        /** The event's prevHash is not the hash of the event before it: one of the two was replaced. */
        UNLINKED,
        /** Events are missing before this one: deleted, or (only after a retention change) expired. */
        MISSING_BEFORE,
        /** The newest events are missing: the chain's head says more were written. */
        MISSING_AFTER,
        /** Two events claim one place in the chain. */
        DUPLICATE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One break: the event where it shows, and what is wrong.
     *
     * @param eventId the audit event's id
     * @param seq its place in the chain
     * @param at when it was made
     * @param problem what is wrong
     * @param detail the same for a person, naming the events involved
     */
    public record Break(String eventId, Long seq, Instant at, Problem problem, String detail) {
    }
}
