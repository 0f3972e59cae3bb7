package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Correcting a pending invitation's address (issue 15): the same invitation goes to the new
 * address with a new link, the link sent to the wrong address stops at once, the audit shows both
 * addresses, and the invite's rules hold for the new address.
 */
class AddressCorrectionEndToEndTest {
    private final LocalStack stack = SharedStack.get();

    @Test
    @SuppressWarnings("unchecked")
    void aCorrectedAddressGetsANewLinkTheOldOneIs410AndTheAuditShowsBoth() {
        String adminEmail = "correct-admin-" + UUID.randomUUID() + "@acme.example";
        String[] admin = TestHttp.bearer(stack, adminEmail);
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Correction Co\"}", admin).json().get("id");
        String projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin).json().get("id");
        String local = "ana-" + UUID.randomUUID().toString().substring(0, 8);
        String wrong = local + "@partnr.example";
        String right = local + "@partner.example";
        String accessEndsAt = stack.clock().instant().plus(java.time.Duration.ofDays(100)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + wrong
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"analyst\"}],"
                + "\"note\":{\"justification\":\"Q4 dashboards\"},\"accessEndsAt\":\"" + accessEndsAt + "\"}", admin);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        String id = (String) invite.json().get("id");
        String url = stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + id;
        String oldToken = Invitations.tokenFromEmail(stack, wrong);
        String body = "{\"email\":\"" + right + "\",\"justification\":\"Typo in the domain\"}";

        assertThat(TestHttp.send("PATCH", url, body, admin).status()).isEqualTo(428);
        TestHttp.Response stale = TestHttp.send("PATCH", url, body, admin[0], admin[1], "If-Match", "\"1\"");
        assertThat(stale.status()).as(stale.body()).isEqualTo(412);
        TestHttp.Response noReason = TestHttp.send("PATCH", url, "{\"email\":\"" + right + "\"}", admin[0], admin[1],
                "If-Match", "\"" + invite.json().get("version") + "\"");
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(noReason.body()).contains("/justification");

        TestHttp.Response corrected = TestHttp.send("PATCH", url, body, admin[0], admin[1], "If-Match", "\"" + invite.json().get("version") + "\"");
        assertThat(corrected.status()).as(corrected.body()).isEqualTo(200);
        assertThat(corrected.json()).containsEntry("id", id).containsEntry("email", right).containsEntry("status", "pending")
                .containsEntry("expiresAt", invite.json().get("expiresAt")).containsEntry("accessEndsAt", accessEndsAt)
                .containsEntry("projects", invite.json().get("projects")).containsEntry("note", invite.json().get("note"));
        assertThat(((Map<String, Object>) corrected.json().get("delivery")).get("status")).isEqualTo("sent");
        // The same request again is stale now: nothing is sent twice.
        assertThat(TestHttp.send("PATCH", url, body, admin[0], admin[1], "If-Match", "\"" + invite.json().get("version") + "\"").status())
                .isEqualTo(412);

        assertThat(SesMailbox.emailsTo(stack.sesUrl(), right)).hasSize(1);
        assertThat(TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + oldToken + "\"}").status()).isEqualTo(410);
        TestHttp.Response oldPage = TestHttp.get(stack.baseUrl() + "/invitations/accept?token=" + oldToken, "Accept", "text/html");
        assertThat(oldPage.status()).isEqualTo(410);
        // Whoever got the mistyped email learns nothing of the invitation beyond that it went elsewhere.
        assertThat(oldPage.body()).contains("went to another address").doesNotContain(right).doesNotContain("Correction Co");

        List<Map<String, Object>> events = (List<Map<String, Object>>) TestHttp.get(stack.baseUrl() + "/orgs/" + orgId
                + "/audit?action=invitation.address_corrected&targetId=" + id, admin).json().get("items");
        assertThat(events).hasSize(1);
        assertThat(String.valueOf(events.get(0).get("changes"))).contains(wrong).contains(right);
        assertThat(events.get(0)).containsEntry("note", "Typo in the domain");

        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, right) + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        List<Map<String, Object>> members = (List<Map<String, Object>>) TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members", admin)
                .json().get("items");
        assertThat(members).anySatisfy(m -> assertThat(m).containsEntry("email", right).containsEntry("invitationId", id));
    }

    @Test
    void theNewAddressObeysTheInvitesRules() {
        String adminEmail = "correct-rules-" + UUID.randomUUID() + "@acme.example";
        String[] admin = TestHttp.bearer(stack, adminEmail);
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Rules Co\"}", admin).json().get("id");
        String invitations = stack.baseUrl() + "/orgs/" + orgId + "/invitations";
        String first = "first-" + UUID.randomUUID() + "@partner.example";
        String second = "second-" + UUID.randomUUID() + "@partner.example";
        Map<String, Object> one = TestHttp.post(invitations, "{\"email\":\"" + first + "\",\"orgRole\":\"admin\"}", admin).json();
        TestHttp.post(invitations, "{\"email\":\"" + second + "\",\"orgRole\":\"admin\"}", admin);
        String[] ifMatch = {admin[0], admin[1], "If-Match", "\"" + one.get("version") + "\""};

        TestHttp.Response pending = TestHttp.send("PATCH", invitations + "/" + one.get("id"),
                "{\"email\":\"" + second.toUpperCase() + "\",\"justification\":\"x\"}", ifMatch);
        assertThat(pending.status()).as(pending.body()).isEqualTo(409);
        assertThat(pending.body()).contains("invitation_pending");
        TestHttp.Response member = TestHttp.send("PATCH", invitations + "/" + one.get("id"),
                "{\"email\":\"" + adminEmail + "\",\"justification\":\"x\"}", ifMatch);
        assertThat(member.status()).as(member.body()).isEqualTo(409);
        assertThat(member.body()).contains("already_member");
        TestHttp.Response same = TestHttp.send("PATCH", invitations + "/" + one.get("id"),
                "{\"email\":\"" + first + "\",\"justification\":\"x\"}", ifMatch);
        assertThat(same.status()).isEqualTo(422);
        assertThat(same.body()).contains("/email");
        // Nothing changed: the first address still holds its invitation, whose link still works.
        assertThat(TestHttp.get(invitations + "/" + one.get("id"), admin).json()).containsEntry("email", first)
                .containsEntry("version", one.get("version"));

        assertThat(TestHttp.send("DELETE", invitations + "/" + one.get("id"), null, admin).status()).isEqualTo(204);
        TestHttp.Response revoked = TestHttp.send("PATCH", invitations + "/" + one.get("id"),
                "{\"email\":\"third-" + UUID.randomUUID() + "@partner.example\",\"justification\":\"x\"}",
                admin[0], admin[1], "If-Match", "\"" + TestHttp.get(invitations + "/" + one.get("id"), admin).json().get("version") + "\"");
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(409);
        assertThat(revoked.body()).contains("invalid_state");
    }
}
