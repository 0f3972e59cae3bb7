package io.tenure.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.tenure.TestClock;
import io.tenure.id.Ids;
import io.tenure.id.SnapshotState;
import io.tenure.invitation.InvitationToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SnapStart hooks in one JVM. Two instances resumed from one snapshot start with the same
 * random state ({@link SnapshotState}); without the restore hook they draw the same ids and
 * tokens, and with it (Priming's afterRestore) they draw different ones. The priming call's
 * failure never fails the checkpoint.
 */
class PrimingTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-06T18:00:00Z"));

    /** What one resumed instance draws first: an org id, an audit id and an invitation token. */
    private record Drawn(String orgId, String auditId, String token) {
    }

    private Drawn resumedInstance(boolean restoreHookRuns) throws Exception {
        SnapshotState.resume(42);
        Ids ids = new Ids(clock);
        ids.member(); // drawn during init, before the snapshot: the ULID factory's state is in it
        if (restoreHookRuns) {
            Priming.register("test", () -> { }).afterRestore(null);
        }
        return new Drawn(ids.org(), ids.audit(), InvitationToken.generate().value());
    }

    @Test
    void withoutTheRestoreHookTwoResumedInstancesRepeatEachOther() throws Exception {
        Drawn first = resumedInstance(false);
        Drawn second = resumedInstance(false);

        // The hazard the hook exists for: the same ids and the same secret in two instances.
        assertThat(second).isEqualTo(first);
    }

    @Test
    void afterTheRestoreHookTwoResumedInstancesDrawDifferentIdsAndTokens() throws Exception {
        Drawn first = resumedInstance(true);
        Drawn second = resumedInstance(true);

        assertThat(second.orgId()).isNotEqualTo(first.orgId());
        assertThat(randomPart(second.orgId())).isNotEqualTo(randomPart(first.orgId()));
        assertThat(second.auditId()).isNotEqualTo(first.auditId());
        assertThat(second.token()).isNotEqualTo(first.token());
        // Same clock, so the ULIDs' time parts agree: only the random part tells them apart.
        assertThat(second.orgId().substring(0, 14)).isEqualTo(first.orgId().substring(0, 14));
    }

    @Test
    void aFailedPrimingCallIsSwallowedSoTheSnapshotIsStillTaken() {
        List<String> ran = new ArrayList<>();
        Priming priming = Priming.register("test", () -> {
            ran.add("prime");
            throw new IllegalStateException("DynamoDB unreachable");
        });

        assertThatCode(() -> priming.beforeCheckpoint(null)).doesNotThrowAnyException();
        assertThat(ran).containsExactly("prime");
    }

    @Test
    void thePrimingCallRunsBeforeTheCheckpoint() throws Exception {
        List<String> ran = new ArrayList<>();
        Priming.register("test", () -> ran.add("prime")).beforeCheckpoint(null);

        assertThat(ran).containsExactly("prime");
    }

    /** A ULID's last 16 characters: its 80 random bits (the first 10 are the time). */
    private static String randomPart(String prefixedId) {
        String ulid = prefixedId.substring(prefixedId.indexOf('_') + 1);
        return ulid.substring(10);
    }
}
