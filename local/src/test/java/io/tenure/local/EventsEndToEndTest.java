package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Committed changes reach the (fake) EventBridge bus through the outbox, once each, with no token. */
class EventsEndToEndTest {

    @Test
    void anInvitationIsPublishedOnceOnTheBus() {
        LocalStack stack = SharedStack.get();
        String[] admin = TestHttp.bearer(stack, "events-admin-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Events Co\"}", admin).json().get("id");
        String projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin).json().get("id");
        String invitee = "published-" + UUID.randomUUID() + "@partner.example";
        String invitationId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + invitee
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"viewer\"}]}", admin).json().get("id");
        String token = Invitations.tokenFromEmail(stack, invitee);
        TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + token + "\"}");

        assertThat(TestHttp.post(stack.baseUrl() + "/_local/schedules/EventsPublisherSchedule", null).status()).isEqualTo(200);
        TestHttp.post(stack.baseUrl() + "/_local/schedules/EventsPublisherSchedule", null);

        String events = TestHttp.get(stack.baseUrl() + "/_local/events").body();
        // One event for the invitation's creation and one for its acceptance, each naming the invitee.
        assertThat(events.split(invitationId, -1)).hasSize(3);
        assertThat(events).contains("invitation.created").contains("invitation.accepted").contains("tenure").doesNotContain(token);
        String named = "invitationId\\\":\\\"" + invitationId + "\\\",\\\"email\\\":\\\"" + invitee;
        assertThat(events.split(java.util.regex.Pattern.quote(named), -1)).hasSize(3);
    }
}
