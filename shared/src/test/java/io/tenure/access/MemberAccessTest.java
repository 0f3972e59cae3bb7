package io.tenure.access;

import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenure.error.ForbiddenException;
import io.tenure.error.NotFoundException;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.TestTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MemberAccess on DynamoDB Local: who may act, and the hourly activity record. */
class MemberAccessTest {
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");
    private final Table table = TestTable.create();
    private final Member viewer = Member.accepted("mem_1", "org_1", "Vi@Acme.com", "vi@acme.com", OrgRole.MEMBER,
            Map.of("prj_1", ProjectRole.VIEWER), null, List.of(), null, "admin@acme.com", "inv_1", T0);
    private final Caller caller = new Caller("sub-vi", "Vi@Acme.com", "vi@acme.com", true);

    @Test
    void activityIsRecordedAtMostOnceAnHour() {
        assertThat(table.transact(new MemberStore(table).create(viewer, io.tenure.value.EmailAddress.canonical(viewer.emailKey()))).committed()).isTrue();

        new MemberAccess(table, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC)).requireMember(caller, "org_1");
        assertThat(lastActive()).isEqualTo(T0.plusSeconds(60).toString());
        new MemberAccess(table, Clock.fixed(T0.plus(Duration.ofMinutes(50)), ZoneOffset.UTC)).requireMember(caller, "org_1");
        assertThat(lastActive()).isEqualTo(T0.plusSeconds(60).toString());
        new MemberAccess(table, Clock.fixed(T0.plus(Duration.ofMinutes(62)), ZoneOffset.UTC)).requireMember(caller, "org_1");
        assertThat(lastActive()).isEqualTo(T0.plus(Duration.ofMinutes(62)).toString());
    }

    @Test
    void strangersAndUnverifiedCallersSeeNothingAndMembersAreNotAdmins() {
        assertThat(table.transact(new MemberStore(table).create(viewer, io.tenure.value.EmailAddress.canonical(viewer.emailKey()))).committed()).isTrue();
        MemberAccess access = new MemberAccess(table, Clock.fixed(T0, ZoneOffset.UTC));

        assertThatThrownBy(() -> access.requireMember(new Caller("x", "x@other.com", "x@other.com", true), "org_1"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> access.requireMember(new Caller("sub-vi", "vi@acme.com", "vi@acme.com", false), "org_1"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> access.requireAdmin(caller, "org_1")).isInstanceOf(ForbiddenException.class);
        assertThat(access.requireMember(caller, "org_1").memberId()).isEqualTo("mem_1");
    }

    @Test
    void accessEndsAtItsEndNotWhenTheSweepRuns() {
        Instant end = T0.plus(Duration.ofHours(2));
        Member ending = Member.accepted("mem_2", "org_1", "Ad@Acme.com", "ad@acme.com", OrgRole.ADMIN, Map.of(), end,
                List.of(), null, "owner@acme.com", "inv_2", T0);
        Caller admin = new Caller("sub-ad", "Ad@Acme.com", "ad@acme.com", true);
        assertThat(table.transact(new MemberStore(table).create(ending, io.tenure.value.EmailAddress.canonical(ending.emailKey()))).committed()).isTrue();

        assertThat(new MemberAccess(table, Clock.fixed(end.minusSeconds(1), ZoneOffset.UTC)).requireAdmin(admin, "org_1").memberId())
                .isEqualTo("mem_2");
        assertThatThrownBy(() -> new MemberAccess(table, Clock.fixed(end, ZoneOffset.UTC)).requireAdmin(admin, "org_1"))
                .as("at the end, though the member item is still active").isInstanceOf(NotFoundException.class);

        // A guard written before guards carried the end: the member item decides.
        table.update(software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest.builder()
                .key(Table.key(TableKeys.MemberEmail.pk("org_1"), TableKeys.MemberEmail.sk("ad@acme.com")))
                .updateExpression("REMOVE accessEndsAt"));
        assertThatThrownBy(() -> new MemberAccess(table, Clock.fixed(end.plusSeconds(3600), ZoneOffset.UTC)).requireMember(admin, "org_1"))
                .isInstanceOf(NotFoundException.class);
        assertThat(new MemberAccess(table, Clock.fixed(T0, ZoneOffset.UTC)).requireMember(admin, "org_1").memberId()).isEqualTo("mem_2");
    }

    private String lastActive() {
        return table.get(TableKeys.Member.pk("org_1"), TableKeys.Member.sk("mem_1")).orElseThrow().get("lastActiveAt").s();
    }
}
