package io.tenure.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.access.Member;
import io.tenure.audit.AuditEvent;
import io.tenure.json.Json;
import io.tenure.store.ItemCodec;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The enums that replaced role and status strings keep the stored and shown JSON exactly as it was. */
class RolesAndStatusesJsonTest {
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    @Test
    void eachConstantIsItsOldStringInJsonAndBack() {
        assertThat(OrgRole.jsonNames()).containsExactly("admin", "member");
        assertThat(ProjectRole.jsonNames()).containsExactly("manager", "analyst", "viewer");
        assertThat(InvitationStatus.jsonNames()).containsExactly("pending", "accepted", "expired", "revoked");
        assertThat(MemberStatus.jsonNames()).containsExactly("active", "removed");
        for (Enum<?> e : new Enum<?>[] {OrgRole.ADMIN, ProjectRole.ANALYST, InvitationStatus.EXPIRED, MemberStatus.REMOVED}) {
            String json = Json.write(e);
            assertThat(json).isEqualTo("\"" + e.toString() + "\"");
            assertThat(Json.read(Json.MAPPER.valueToTree(e), e.getClass())).isSameAs(e);
        }
        assertThat(ProjectRole.find("owner")).isEmpty();
        assertThat(ProjectRole.find(null)).isEmpty();
        assertThatThrownBy(() -> OrgRole.of("Admin")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMemberIsStoredWithTheSameFieldsAndValues() {
        Member member = Member.accepted("mem_1", "org_1", "Vi@Acme.com", "vi@acme.com", OrgRole.MEMBER,
                Map.of("prj_1", ProjectRole.VIEWER), null, java.util.List.of(), null, "ad@acme.com", "inv_1", T0);
        ObjectNode tree = Json.tree(member);

        assertThat(tree.get("orgRole").asText()).isEqualTo("member");
        assertThat(tree.get("status").asText()).isEqualTo("active");
        assertThat(tree.get("projects").get("prj_1").asText()).isEqualTo("viewer");
        assertThat(tree.has("active")).as("isActive() is not a field").isFalse();
        assertThat(tree.has("admin")).as("isAdmin() is not a field").isFalse();
        assertThat(Json.read(ItemCodec.toJson(ItemCodec.toItem(tree)), Member.class)).isEqualTo(member);
    }

    @Test
    void anAuditEventMadeStepByStepIsTheOneThePositionalConstructorMade() {
        io.tenure.audit.RequestOrigin origin = new io.tenure.audit.RequestOrigin("r-1", "203.0.113.9", "curl");
        AuditEvent built = AuditEvent.of("aud_1", "org_1", T0, io.tenure.audit.Actor.system("x"), "member.removed",
                AuditEvent.Target.member("mem_1")).withChange("status", "active", "removed").withNote("gone").from(origin);

        assertThat(built).isEqualTo(new AuditEvent("aud_1", "org_1", T0, io.tenure.audit.Actor.system("x"), "member.removed",
                new AuditEvent.Target("member", "mem_1"), Map.of("status", AuditEvent.change("active", "removed")), "gone",
                "r-1", "203.0.113.9", "curl", null, null, null));
        assertThat(Json.write(built)).doesNotContain("requestIdOnly");
    }
}
