package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** API Gateway's route throttle: burst = bucket size, rate = refill per second, on a clock the test moves. */
class TokenBucketTest {
    /** A clock that stands still until the test moves it (a fake for this unit test only). */
    private static final class SteppedClock extends Clock {
        private Instant now = Instant.parse("2026-11-24T09:00:00Z");

        void advance(Duration amount) {
            now = now.plus(amount);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final SteppedClock clock = new SteppedClock();

    @Test
    void aFullBucketLetsTheBurstThroughThenRefusesUntilItRefills() {
        TokenBucket bucket = new TokenBucket(10, 20, clock);
        int passed = 0;
        while (bucket.tryTake()) {
            passed++;
        }
        assertThat(passed).isEqualTo(20);
        assertThat(bucket.tryTake()).isFalse();

        clock.advance(Duration.ofMillis(99));
        assertThat(bucket.tryTake()).as("not yet a whole token after 99 ms at 10/s").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake()).as("one token after 100 ms").isTrue();
        assertThat(bucket.tryTake()).isFalse();

        clock.advance(Duration.ofSeconds(1));
        int afterOneSecond = 0;
        while (bucket.tryTake()) {
            afterOneSecond++;
        }
        assertThat(afterOneSecond).as("one second refills the rate").isEqualTo(10);
    }

    @Test
    void theBucketNeverHoldsMoreThanItsBurst() {
        TokenBucket bucket = new TokenBucket(100, 5, clock);
        clock.advance(Duration.ofHours(1));
        assertThat(bucket.available()).isEqualTo(5.0);
    }

    @Test
    void aClockSetBackwardsNeitherRefillsNorDrains() {
        TokenBucket bucket = new TokenBucket(1, 2, clock);
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isTrue();
        clock.advance(Duration.ofDays(-1));
        assertThat(bucket.tryTake()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(bucket.tryTake()).as("refills from the moment the clock went back").isTrue();
    }

    @Test
    void aBurstOfZeroRefusesEverythingAndNegativeLimitsAreRefused() {
        TokenBucket closed = new TokenBucket(50, 0, clock);
        clock.advance(Duration.ofMinutes(1));
        assertThat(closed.tryTake()).isFalse();
        assertThatThrownBy(() -> new TokenBucket(-1, 1, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
