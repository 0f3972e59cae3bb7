package io.tenure.store;

import java.util.List;

/**
 * The result of a conditional write or transaction. An expected condition failure is a result,
 * not an exception: {@link #failedItems()} lists, by position in the request, which conditions
 * did not hold.
 */
public record WriteOutcome(boolean committed, List<Integer> failedItems) {
    public static final WriteOutcome COMMITTED = new WriteOutcome(true, List.of());

    public static WriteOutcome failed(List<Integer> failedItems) {
        return new WriteOutcome(false, List.copyOf(failedItems));
    }

    /** Whether the condition of the item at this position failed. */
    public boolean failedAt(int position) {
        return failedItems.contains(position);
    }
}
