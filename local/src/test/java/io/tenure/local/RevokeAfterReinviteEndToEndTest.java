package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Found by the races suite: an expired invitation whose address was invited again could not be
 * revoked (409 "changed while it was being revoked" on every try), because the revoke insisted on
 * freeing a pending hold that the newer invitation holds.
 */
class RevokeAfterReinviteEndToEndTest {
    @Test
    void anExpiredInvitationCanBeRevokedWhileANewerOneForTheSameAddressIsPending() {
        LocalStack stack = SharedStack.get();
        String[] admin = TestHttp.bearer(stack, "reinvite-admin-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Reinvite Co\"}", admin).json().get("id");
        String projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin)
                .json().get("id");
        String email = "again-" + UUID.randomUUID() + "@partner.example";
        String body = "{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                + "\",\"role\":\"viewer\"}],\"expiresInDays\":1}";
        String invitations = stack.baseUrl() + "/orgs/" + orgId + "/invitations";
        TestHttp.Response first = TestHttp.post(invitations, body, admin);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        stack.clock().advance(Duration.ofDays(1).plusMinutes(1));
        TestHttp.Response second = TestHttp.post(invitations, body, admin);
        assertThat(second.status()).as("expired invitations never block a new one: " + second.body()).isEqualTo(201);
        String newToken = Invitations.tokenFromEmail(stack, email);

        TestHttp.Response revoked = TestHttp.send("DELETE", invitations + "/" + first.json().get("id"), null, admin);

        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
        assertThat(TestHttp.get(invitations + "/" + first.json().get("id"), admin).json()).containsEntry("status", "revoked");
        assertThat(TestHttp.get(invitations + "/" + second.json().get("id"), admin).json()).containsEntry("status", "pending");
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + newToken + "\"}");
        assertThat(accepted.status()).as("the newer invitation still accepts: " + accepted.body()).isEqualTo(200);
    }
}
