package io.tenure.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenure.TestClock;
import io.tenure.store.TestTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** IdempotencyService on DynamoDB Local. */
class IdempotencyServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");
    private static final Duration REMAINING = Duration.ofSeconds(29);
    private final io.tenure.store.Table table = TestTable.create();
    private final AtomicInteger runs = new AtomicInteger();

    private StoredResponse work() {
        return new StoredResponse(201, Map.of("content-type", "application/json"), "{\"run\":" + runs.incrementAndGet() + "}");
    }

    @Test
    void aRepeatGetsTheFirstResponseWithoutRunningAgain() {
        IdempotencyService service = new IdempotencyService(new IdempotencyStore(table), Clock.fixed(NOW, ZoneOffset.UTC));
        StoredResponse first = service.run("sub-1", "key-1", "POST /orgs\n{}", REMAINING, this::work);
        StoredResponse second = service.run("sub-1", "key-1", "POST /orgs\n{}", REMAINING, this::work);

        assertThat(runs).hasValue(1);
        assertThat(second).isEqualTo(first);
        assertThatThrownBy(() -> service.run("sub-1", "key-1", "POST /orgs\n{\"other\":1}", REMAINING, this::work))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        // Keys belong to one caller.
        service.run("sub-2", "key-1", "POST /orgs\n{}", REMAINING, this::work);
        assertThat(runs).hasValue(2);
    }

    @Test
    void failuresAreNotKeptSoTheRequestCanBeRetried() {
        IdempotencyService service = new IdempotencyService(new IdempotencyStore(table), Clock.fixed(NOW, ZoneOffset.UTC));
        service.run("sub-1", "key-5xx", "f", REMAINING, () -> new StoredResponse(500, Map.of(), "{}"));
        assertThatThrownBy(() -> service.run("sub-1", "key-ex", "f", REMAINING, () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(service.run("sub-1", "key-5xx", "f", REMAINING, this::work).status()).isEqualTo(201);
        assertThat(service.run("sub-1", "key-ex", "f", REMAINING, this::work).status()).isEqualTo(201);
    }

    @Test
    void aKeyIsForgottenAfter24Hours() {
        new IdempotencyService(new IdempotencyStore(table), Clock.fixed(NOW, ZoneOffset.UTC)).run("sub-1", "key-old", "a", REMAINING, this::work);
        IdempotencyService later = new IdempotencyService(new IdempotencyStore(table), Clock.fixed(NOW.plus(Duration.ofHours(25)), ZoneOffset.UTC));

        later.run("sub-1", "key-old", "b", REMAINING, this::work);
        assertThat(runs).hasValue(2);
    }

    @Test
    void concurrentRepeatsRunTheWorkOnce() throws Exception {
        IdempotencyService service = new IdempotencyService(new IdempotencyStore(table), Clock.fixed(NOW, ZoneOffset.UTC));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    return service.run("sub-1", "key-race", "same", REMAINING, this::work).body();
                } catch (RequestInProgressException e) {
                    return "in progress";
                }
            }));
        }
        start.countDown();
        for (Future<String> outcome : outcomes) {
            assertThat(outcome.get()).isIn("{\"run\":1}", "in progress");
        }
        pool.shutdown();
        assertThat(runs).hasValue(1);
    }

    @Test
    void keysMustBeVisibleAscii() {
        IdempotencyService service = new IdempotencyService(new IdempotencyStore(table), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> service.run("sub-1", "has space", "f", REMAINING, this::work))
                .isInstanceOf(io.tenure.error.ValidationFailedException.class);
    }

    @Test
    void aClaimAbandonedMidWorkIsInProgressUntilItsLeaseLapsesThenRunsAgain() {
        TestClock clock = new TestClock(NOW);
        IdempotencyService service = new IdempotencyService(new IdempotencyStore(table), clock);
        // The function is killed mid-work: nothing stores a response or releases the claim.
        assertThatThrownBy(() -> service.run("sub-1", "key-killed", "f", REMAINING, () -> {
            runs.incrementAndGet();
            throw new Killed();
        })).isInstanceOf(Killed.class);
        Duration lease = REMAINING.plus(IdempotencyService.LEASE_MARGIN);

        clock.advance(lease.minusSeconds(1));
        assertThatThrownBy(() -> service.run("sub-1", "key-killed", "f", REMAINING, this::work))
                .isInstanceOf(RequestInProgressException.class);
        // Another request with the same key is still refused while the key is bound to the first.
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> service.run("sub-1", "key-killed", "other body", REMAINING, this::work))
                .isInstanceOf(IdempotencyKeyReusedException.class);

        StoredResponse retried = service.run("sub-1", "key-killed", "f", REMAINING, this::work);
        assertThat(retried.body()).isEqualTo("{\"run\":2}");
        assertThat(service.run("sub-1", "key-killed", "f", REMAINING, this::work)).isEqualTo(retried);
        assertThat(runs).hasValue(2);
        System.out.println("lease of a claim with 29 s remaining: " + lease);
    }

    @Test
    void theLateOriginalCannotOverwriteTheClaimThatTookOver() throws Exception {
        TestClock clock = new TestClock(NOW);
        IdempotencyService service = new IdempotencyService(new IdempotencyStore(table), clock);
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch wakeUp = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<StoredResponse> original = pool.submit(() -> service.run("sub-1", "key-late", "f", REMAINING, () -> {
            working.countDown();
            await(wakeUp);
            return new StoredResponse(201, Map.of(), "{\"run\":\"original\"}");
        }));
        await(working);

        clock.advance(REMAINING.plus(IdempotencyService.LEASE_MARGIN));
        StoredResponse takeover = service.run("sub-1", "key-late", "f", REMAINING, this::work);
        wakeUp.countDown();
        assertThat(original.get().body()).isEqualTo("{\"run\":\"original\"}"); // its own answer, to a caller long gone
        pool.shutdown();

        assertThat(service.run("sub-1", "key-late", "f", REMAINING, this::work)).isEqualTo(takeover);
        assertThat(takeover.body()).isEqualTo("{\"run\":1}");
    }

    @Test
    void aStoredResponseIsReplayedFor24HoursFromWhenItWasStored() {
        TestClock clock = new TestClock(NOW);
        IdempotencyService service = new IdempotencyService(new IdempotencyStore(table), clock);
        StoredResponse first = service.run("sub-1", "key-kept", "f", REMAINING, () -> {
            clock.advance(Duration.ofSeconds(20)); // slow work: the record is kept from the store, not the claim
            return work();
        });

        clock.set(NOW.plusSeconds(20).plus(IdempotencyService.KEPT).minusSeconds(1));
        assertThat(service.run("sub-1", "key-kept", "f", REMAINING, this::work)).isEqualTo(first);
        assertThatThrownBy(() -> service.run("sub-1", "key-kept", "other", REMAINING, this::work))
                .isInstanceOf(IdempotencyKeyReusedException.class);

        clock.advance(Duration.ofSeconds(1));
        assertThat(service.run("sub-1", "key-kept", "other", REMAINING, this::work).body()).isEqualTo("{\"run\":2}");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stands for the Lambda runtime stopping the function: nothing after it runs. */
    private static final class Killed extends Error {
    }
}
