package io.tenure.schedule;

import java.util.function.LongSupplier;

/** How long a run may go on: the function's remaining time, less a margin to finish cleanly. */
public final class Deadline {
    private final LongSupplier remainingMillis;
    private final long marginMillis;

    public Deadline(LongSupplier remainingMillis, long marginMillis) {
        this.remainingMillis = remainingMillis;
        this.marginMillis = marginMillis;
    }

    /** No limit (tests and tools). */
    public static Deadline none() {
        return new Deadline(() -> Long.MAX_VALUE, 0);
    }

    public boolean nearlyOver() {
        return remainingMillis.getAsLong() < marginMillis;
    }
}
