package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Access ends at {@code accessEndsAt}, at that moment, not when the expiry sweep next runs (issue 9,
 * first repro): an admin whose access has ended can neither read the org nor invite anyone, though
 * the sweep has not removed them yet.
 */
class AccessEndEndToEndTest {
    @Test
    @SuppressWarnings("unchecked")
    void anAdminWhoseAccessEndedCanNoLongerActEvenBeforeTheSweep() {
        LocalStack stack = SharedStack.get();
        String[] owner = TestHttp.bearer(stack, "owner-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme\"}", owner).json().get("id");
        String temporary = "temp-admin-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + temporary + "\",\"orgRole\":\"admin\",\"accessEndsAt\":\""
                        + stack.clock().instant().plus(Duration.ofHours(2)) + "\"}", owner);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        String token = Invitations.tokenFromEmail(stack, temporary);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + token + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        String[] admin = TestHttp.bearer(stack, temporary);
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members", admin).status()).isEqualTo(200);

        stack.clock().advance(Duration.ofHours(3));

        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members", admin).status())
                .as("listing members after the access ended").isEqualTo(404);
        TestHttp.Response backdoor = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"backdoor-" + UUID.randomUUID() + "@evil.example\",\"orgRole\":\"admin\"}", admin);
        assertThat(backdoor.status()).as("inviting after the access ended: " + backdoor.body()).isEqualTo(404);
        List<Map<String, Object>> memberships = (List<Map<String, Object>>) TestHttp.get(stack.baseUrl() + "/me", admin)
                .json().get("memberships");
        assertThat(memberships).extracting(m -> m.get("orgId")).doesNotContain(orgId);
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members", owner).status()).isEqualTo(200);
    }

    @Test
    void anInvitationCannotBeAcceptedOnceItsInviterHasNoAccess() {
        LocalStack stack = SharedStack.get();
        String[] owner = TestHttp.bearer(stack, "owner-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme\"}", owner).json().get("id");
        String inviter = "inviter-" + UUID.randomUUID() + "@partner.example";
        TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + inviter
                + "\",\"orgRole\":\"admin\",\"accessEndsAt\":\"" + stack.clock().instant().plus(Duration.ofHours(2)) + "\"}", owner);
        TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + Invitations.tokenFromEmail(stack, inviter) + "\"}");
        String[] temporaryAdmin = TestHttp.bearer(stack, inviter);
        String invitee = "friend-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + invitee + "\",\"orgRole\":\"admin\"}", temporaryAdmin);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        String token = Invitations.tokenFromEmail(stack, invitee);

        stack.clock().advance(Duration.ofHours(3));

        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + token + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(410);
        assertThat(accepted.json()).containsEntry("code", "invitation_revoked");
        assertThat(TestHttp.get(stack.baseUrl() + "/me", TestHttp.bearer(stack, invitee)).body()).doesNotContain(orgId);

        // The sweep ends the inviter's access and withdraws what they offered, with an audit event.
        assertThat(TestHttp.post(stack.baseUrl() + "/_local/schedules/ExpirySweepSchedule", null).status()).isEqualTo(200);
        String invitationId = (String) invite.json().get("id");
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + invitationId, owner).json())
                .containsEntry("status", "revoked");
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?targetId=" + invitationId, owner).body())
                .contains("invitation.revoked").contains("inviter-access").contains("the inviter's access ended");
    }

    @Test
    void removingAnAdminWithdrawsTheirPendingInvitations() {
        LocalStack stack = SharedStack.get();
        String[] owner = TestHttp.bearer(stack, "owner-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme\"}", owner).json().get("id");
        String helper = "helper-" + UUID.randomUUID() + "@partner.example";
        TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + helper + "\",\"orgRole\":\"admin\"}", owner);
        Map<String, Object> member = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, helper) + "\"}").json();
        String invitee = "friend-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + invitee + "\",\"orgRole\":\"admin\"}", TestHttp.bearer(stack, helper));
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        String invitationId = (String) invite.json().get("id");
        String memberId = String.valueOf(member.get("id"));

        TestHttp.Response removed = TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId + "/members/" + memberId
                + "?reason=contract%20over", null, owner);
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);

        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + invitationId, owner).json())
                .containsEntry("status", "revoked");
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?targetId=" + invitationId, owner).body())
                .contains("inviter-access").contains("the inviter was removed: contract over");
        TestHttp.Response accept = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, invitee) + "\"}");
        assertThat(accept.status()).isEqualTo(410);
    }

    @Test
    void anOrgThatOptsInKeepsADepartedInvitersInvitations() {
        LocalStack stack = SharedStack.get();
        String[] owner = TestHttp.bearer(stack, "owner-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme\"}", owner).json().get("id");
        TestHttp.Response optIn = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId,
                "{\"settings\":{\"keepInvitationsOfDepartedInviters\":true}}", owner);
        assertThat(optIn.status()).as(optIn.body()).isEqualTo(200);
        assertThat(optIn.body()).contains("\"keepInvitationsOfDepartedInviters\":true");
        // One inviter is removed, the other's access ends; each has a pending invitation out.
        String removedInviter = "removed-" + UUID.randomUUID() + "@partner.example";
        String endedInviter = "ended-" + UUID.randomUUID() + "@partner.example";
        String removedId = String.valueOf(joinAsAdmin(stack, owner, orgId, removedInviter, null).get("id"));
        joinAsAdmin(stack, owner, orgId, endedInviter, stack.clock().instant().plus(Duration.ofHours(2)));
        String fromRemoved = "friend-" + UUID.randomUUID() + "@partner.example";
        String fromEnded = "friend-" + UUID.randomUUID() + "@partner.example";
        String keptId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + fromRemoved + "\",\"orgRole\":\"admin\"}", TestHttp.bearer(stack, removedInviter)).json().get("id");
        assertThat(TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + fromEnded + "\",\"orgRole\":\"admin\"}", TestHttp.bearer(stack, endedInviter)).status())
                .isEqualTo(201);

        assertThat(TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId + "/members/" + removedId + "?reason=left", null, owner)
                .status()).isEqualTo(204);
        stack.clock().advance(Duration.ofHours(3));
        assertThat(TestHttp.post(stack.baseUrl() + "/_local/schedules/ExpirySweepSchedule", null).status()).isEqualTo(200);

        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + keptId, owner).json())
                .containsEntry("status", "pending");
        TestHttp.Response acceptedFromRemoved = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, fromRemoved) + "\"}");
        assertThat(acceptedFromRemoved.status()).as(acceptedFromRemoved.body()).isEqualTo(200);
        TestHttp.Response acceptedFromEnded = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, fromEnded) + "\"}");
        assertThat(acceptedFromEnded.status()).as(acceptedFromEnded.body()).isEqualTo(200);
    }

    /** Invites {@code email} as an admin (access ending at {@code endsAt}, if given) and accepts; the member. */
    private static Map<String, Object> joinAsAdmin(LocalStack stack, String[] owner, String orgId, String email, java.time.Instant endsAt) {
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + email
                + "\",\"orgRole\":\"admin\"" + (endsAt == null ? "" : ",\"accessEndsAt\":\"" + endsAt + "\"") + "}", owner);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        return accepted.json();
    }
}
