package io.tenure.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenure.error.NotFoundException;
import io.tenure.idempotency.IdempotencyService;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.TestTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** IdempotentPosts on DynamoDB Local: repeats never see a secret, and only a caller still allowed sees anything. */
class IdempotentPostsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");
    private final Table table = TestTable.create();
    private final IdempotencyService idempotency = new IdempotencyService(new io.tenure.idempotency.IdempotencyStore(table), Clock.fixed(NOW, ZoneOffset.UTC));
    private final AtomicInteger runs = new AtomicInteger();

    private static ApiRequest post(String key) {
        return new ApiRequest("POST /orgs/{orgId}/projects/{projectId}/api-keys", "/orgs/org_1/projects/prj_1/api-keys",
                Map.of("orgId", "org_1", "projectId", "prj_1"), Map.of(), Map.of("idempotency-key", key), "{\"name\":\"ci\"}",
                Map.of("sub", "sub-1", "email", "admin@example.com", "email_verified", "true"), "req-1", "127.0.0.1", "test");
    }

    private final Function<ApiRequest, ApiResponse> showsASecretOnce = request -> {
        runs.incrementAndGet();
        return new ApiResponse(201, Map.of("content-type", "application/json"), "{\"id\":\"key_1\",\"secret\":\"tnr_SECRET\"}")
                .repeatedAs(new ApiResponse(201, Map.of("content-type", "application/json"), "{\"id\":\"key_1\",\"secretWithheld\":true}"));
    };

    @Test
    void theFirstAnswerHasTheSecretARepeatAndTheStoredRecordDoNot() {
        Function<ApiRequest, ApiResponse> route = IdempotentPosts.wrap(idempotency, Duration.ofSeconds(29), request -> { }, showsASecretOnce);

        ApiResponse first = route.apply(post("k-1"));
        ApiResponse repeat = route.apply(post("k-1"));

        assertThat(first.body()).contains("tnr_SECRET");
        assertThat(first.headers()).doesNotContainKey("idempotent-replayed");
        assertThat(repeat.body()).doesNotContain("tnr_SECRET").contains("\"secretWithheld\":true");
        assertThat(repeat.headers()).containsEntry("idempotent-replayed", "true");
        assertThat(runs).hasValue(1);
        String record = table.get(TableKeys.Idempotency.pk("sub-1", "k-1"), TableKeys.Idempotency.sk()).orElseThrow().toString();
        assertThat(record).contains("secretWithheld").doesNotContain("tnr_SECRET");
    }

    @Test
    void aRepeatIsAnsweredOnlyAfterTheAccessCheckPassesAgain() {
        AtomicBoolean allowed = new AtomicBoolean(true);
        Function<ApiRequest, ApiResponse> route = IdempotentPosts.wrap(idempotency, Duration.ofSeconds(29), request -> {
            if (!allowed.get()) {
                throw new NotFoundException();
            }
        }, showsASecretOnce);
        route.apply(post("k-2"));

        allowed.set(false);

        assertThatThrownBy(() -> route.apply(post("k-2"))).isInstanceOf(NotFoundException.class);
        assertThat(runs).hasValue(1);
    }

    @Test
    void withoutAKeyTheRouteRunsAsItIsAndDoesItsOwnCheck() {
        Function<ApiRequest, ApiResponse> route = IdempotentPosts.wrap(idempotency, Duration.ofSeconds(29), request -> {
            throw new AssertionError("checked by the route itself");
        }, showsASecretOnce);
        ApiRequest plain = new ApiRequest("POST /orgs", "/orgs", Map.of(), Map.of(), Map.of(), "{}",
                Map.of("sub", "sub-1", "email", "a@example.com"), "req-2", "127.0.0.1", "test");

        assertThat(route.apply(plain).body()).contains("tnr_SECRET");
    }
}
