package io.tenure.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    private final io.tenure.store.Table table = TestTable.create();
    private final AtomicInteger runs = new AtomicInteger();

    private StoredResponse work() {
        return new StoredResponse(201, Map.of("content-type", "application/json"), "{\"run\":" + runs.incrementAndGet() + "}");
    }

    @Test
    void aRepeatGetsTheFirstResponseWithoutRunningAgain() {
        IdempotencyService service = new IdempotencyService(table, Clock.fixed(NOW, ZoneOffset.UTC));
        StoredResponse first = service.run("sub-1", "key-1", "POST /orgs\n{}", this::work);
        StoredResponse second = service.run("sub-1", "key-1", "POST /orgs\n{}", this::work);

        assertThat(runs).hasValue(1);
        assertThat(second).isEqualTo(first);
        assertThatThrownBy(() -> service.run("sub-1", "key-1", "POST /orgs\n{\"other\":1}", this::work))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        // Keys belong to one caller.
        service.run("sub-2", "key-1", "POST /orgs\n{}", this::work);
        assertThat(runs).hasValue(2);
    }

    @Test
    void failuresAreNotKeptSoTheRequestCanBeRetried() {
        IdempotencyService service = new IdempotencyService(table, Clock.fixed(NOW, ZoneOffset.UTC));
        service.run("sub-1", "key-5xx", "f", () -> new StoredResponse(500, Map.of(), "{}"));
        assertThatThrownBy(() -> service.run("sub-1", "key-ex", "f", () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(service.run("sub-1", "key-5xx", "f", this::work).status()).isEqualTo(201);
        assertThat(service.run("sub-1", "key-ex", "f", this::work).status()).isEqualTo(201);
    }

    @Test
    void aKeyIsForgottenAfter24Hours() {
        new IdempotencyService(table, Clock.fixed(NOW, ZoneOffset.UTC)).run("sub-1", "key-old", "a", this::work);
        IdempotencyService later = new IdempotencyService(table, Clock.fixed(NOW.plus(Duration.ofHours(25)), ZoneOffset.UTC));

        later.run("sub-1", "key-old", "b", this::work);
        assertThat(runs).hasValue(2);
    }

    @Test
    void concurrentRepeatsRunTheWorkOnce() throws Exception {
        IdempotencyService service = new IdempotencyService(table, Clock.fixed(NOW, ZoneOffset.UTC));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    return service.run("sub-1", "key-race", "same", this::work).body();
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
        IdempotencyService service = new IdempotencyService(table, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> service.run("sub-1", "has space", "f", this::work))
                .isInstanceOf(io.tenure.error.ValidationFailedException.class);
    }
}
