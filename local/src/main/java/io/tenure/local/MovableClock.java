package io.tenure.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one clock every local function reads. It starts at real time and keeps flowing with real
 * time; {@link #advance} and {@link #set} shift it by an offset so tests can jump forward (e.g. past
 * an invitation's expiry) without waiting.
 */
public final class MovableClock extends Clock {
    private final AtomicReference<Duration> offset;
    private final ZoneId zone;

    /** A clock at real time, in UTC. */
    public MovableClock() {
        this(new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
    }

    private MovableClock(AtomicReference<Duration> offset, ZoneId zone) {
        this.offset = offset;
        this.zone = zone;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same movable time seen in another zone (moving either moves both). */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new MovableClock(offset, Objects.requireNonNull(newZone, "zone"));
    }

    /** Moves the clock forward (or back, if negative) by {@code amount}. */
    public Instant advance(Duration amount) {
        Duration shift = Objects.requireNonNull(amount, "amount");
        offset.updateAndGet(current -> current.plus(shift));
        return instant();
    }

    /** Sets the clock to {@code target}; it keeps flowing from there. */
    public Instant set(Instant target) {
        offset.set(Duration.between(Instant.now(), Objects.requireNonNull(target, "target")));
        return instant();
    }

    /** Back to real time. */
    public Instant reset() {
        offset.set(Duration.ZERO);
        return instant();
    }
}
