package io.tenure.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenure.TestClock;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.error.RateLimitedException;
import io.tenure.json.Json;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.TestTable;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * One person (JWT subject) creates at most {@value OrgService#ORGS_PER_USER_PER_DAY} orgs a UTC
 * day, counted in the transaction that creates each org: the next is 429 with Retry-After until
 * midnight UTC and leaves nothing behind; another person, or the next day, is not affected.
 */
class OrgCreationLimitTest {
    private static final RequestOrigin ORIGIN = new RequestOrigin("r", null, null);
    private static final Caller ANA = new Caller("sub-ana", "ana@acme.com", "ana@acme.com", true);
    private static final Caller BEN = new Caller("sub-ben", "ben@acme.com", "ben@acme.com", true);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-24T23:00:00Z"));
    private final Table table = TestTable.create();
    private final OrgService orgs = new OrgService(new OrgStore(table), new MemberStore(table),
            new MemberAccess(table, clock), new AuditLog(), clock);

    @Test
    void theEleventhOrgOfTheDayIsRefusedUntilMidnightUtc() {
        for (int i = 1; i <= OrgService.ORGS_PER_USER_PER_DAY; i++) {
            orgs.create(ANA, Json.MAPPER.valueToTree(java.util.Map.of("name", "Ana " + i)), ORIGIN);
        }
        assertThatThrownBy(() -> orgs.create(ANA, Json.MAPPER.valueToTree(java.util.Map.of("name", "One too many")), ORIGIN))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(3600));
        assertThat(table.get(TableKeys.Slug.pk("one-too-many"), TableKeys.Slug.sk())).as("nothing of it was stored").isEmpty();

        assertThat(orgs.create(BEN, Json.MAPPER.valueToTree(java.util.Map.of("name", "Ben's")), ORIGIN).name())
                .as("another person has their own count").isEqualTo("Ben's");

        clock.set(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(orgs.create(ANA, Json.MAPPER.valueToTree(java.util.Map.of("name", "One too many")), ORIGIN).slug())
                .as("a new UTC day").isEqualTo("one-too-many");
    }

    @Test
    void aSlugRetryDoesNotCountTwice() {
        // Each attempt with a taken derived slug is a transaction that did not commit: it counts nothing.
        for (int i = 1; i <= OrgService.ORGS_PER_USER_PER_DAY; i++) {
            orgs.create(ANA, Json.MAPPER.valueToTree(java.util.Map.of("name", "Same name")), ORIGIN);
        }
        assertThat(table.get(TableKeys.Slug.pk("same-name"), TableKeys.Slug.sk())).isPresent();
        assertThatThrownBy(() -> orgs.create(ANA, Json.MAPPER.valueToTree(java.util.Map.of("name", "Other")), ORIGIN))
                .isInstanceOf(RateLimitedException.class);
    }
}
