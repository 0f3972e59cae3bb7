package io.tenure.store;

import java.util.HashSet;
import java.util.Set;

/**
 * The result of a conditional write or transaction. An expected condition failure is a result,
 * not an exception: {@link #refusals()} holds what each failed condition meant, as its
 * {@link Write#refusedAs} said; a failed write that said nothing counts as {@link #CHANGED}.
 */
public record WriteOutcome(boolean committed, Set<Object> refusals) {
    /** The meaning of a failed condition whose write gave none: the item changed meanwhile. */
    public static final Object CHANGED = new Object() {
        @Override
        public String toString() {
            return "changed";
        }
    };
    public static final WriteOutcome COMMITTED = new WriteOutcome(true, Set.of());
    /** A single conditional write whose condition failed. */
    public static final WriteOutcome REFUSED = new WriteOutcome(false, Set.of(CHANGED));

    public WriteOutcome {
        refusals = Set.copyOf(refusals);
    }

    static WriteOutcome refused(Set<Object> refusals) {
        return new WriteOutcome(false, new HashSet<>(refusals));
    }

    /** Whether a write refused as {@code meaning} failed its condition. */
    public boolean refusedAs(Object meaning) {
        return refusals.contains(meaning);
    }

    /** Whether a write failed that gave no meaning (or {@link #CHANGED}). */
    public boolean changedMeanwhile() {
        return refusals.contains(CHANGED);
    }
}
