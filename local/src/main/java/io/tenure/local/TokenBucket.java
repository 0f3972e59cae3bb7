package io.tenure.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * API Gateway's throttle for one route: a token bucket holding at most {@code burst} tokens,
 * refilled at {@code ratePerSecond}, shared by every caller. A request takes one token or is
 * refused. It starts full, as a freshly deployed stage does. Time comes from the stack's clock, so
 * a test that moves the clock forward has waited that long.
 */
final class TokenBucket {
    private final double ratePerSecond;
    private final int burst;
    private final Clock clock;
    private double tokens;
    private Instant refilledAt;

    TokenBucket(double ratePerSecond, int burst, Clock clock) {
        if (ratePerSecond < 0 || burst < 0) {
            throw new IllegalArgumentException("rate and burst must not be negative: " + ratePerSecond + ", " + burst);
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.refilledAt = clock.instant();
    }

    /** Takes a token if there is one; false means API Gateway answers 429. */
    synchronized boolean tryTake() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Tokens left now, for tests and logs. */
    synchronized double available() {
        refill();
        return tokens;
    }

    private void refill() {
        Instant now = clock.instant();
        Duration elapsed = Duration.between(refilledAt, now);
        // A clock set backwards gives nothing back and takes nothing away; refilling restarts from now.
        if (!elapsed.isNegative()) {
            tokens = Math.min(burst, tokens + ratePerSecond * (elapsed.toNanos() / 1e9));
        }
        refilledAt = now;
    }
}
