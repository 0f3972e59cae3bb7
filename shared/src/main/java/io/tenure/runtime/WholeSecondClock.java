package io.tenure.runtime;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * The services' clock: {@link #instant()} is in whole seconds, so every time Tenure stores and
 * returns looks like {@code 2026-11-24T09:00:00Z} (SPEC §1) and compares as text in conditions;
 * {@link #millis()} stays exact, so ids (ULIDs) made one after another keep their order.
 */
public final class WholeSecondClock extends Clock {
    private final Clock base;

    public WholeSecondClock(Clock base) {
        this.base = base;
    }

    @Override
    public Instant instant() {
        return base.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public long millis() {
        return base.millis();
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new WholeSecondClock(base.withZone(zone));
    }
}
