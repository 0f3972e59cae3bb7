package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** SES bounces and complaints (sample EventBridge events from events/email) mark the invitation once and tell the inviter once. */
class EmailFeedbackEndToEndTest {
    private static final String SAMPLE_MESSAGE_ID = "0100019b5f2c1a2b-3c4d5e6f-7a8b-9c0d-1e2f-3a4b5c6d7e8f-000000";

    @Test
    @SuppressWarnings("unchecked")
    void aBounceAndAComplaintAreRecordedOnceAndTheInviterIsTold() throws Exception {
        LocalStack stack = SharedStack.get();
        String adminEmail = "feedback-admin-" + UUID.randomUUID() + "@acme.example";
        String[] admin = TestHttp.bearer(stack, adminEmail);
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Feedback Co\"}", admin).json().get("id");
        String projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin).json().get("id");

        for (String[] kind : new String[][] {{"bounce", "bounced", "could not be delivered"}, {"complaint", "complained", "as spam"}}) {
            String invitee = kind[0] + "-" + UUID.randomUUID() + "@partner.example";
            TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + invitee
                    + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"viewer\"}]}", admin);
            String id = (String) invite.json().get("id");
            String messageId = (String) ((Map<String, Object>) invite.json().get("delivery")).get("messageId");
            String event = Files.readString(LocalStack.findProjectRoot().resolve("events/email/" + kind[0] + ".json"))
                    .replace(SAMPLE_MESSAGE_ID, messageId);

            assertThat(stack.invoke("EmailEventsFunction", event)).contains("recorded");
            assertThat(stack.invoke("EmailEventsFunction", event)).contains("ignored");

            Map<String, Object> delivery = (Map<String, Object>) TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + id, admin)
                    .json().get("delivery");
            assertThat(delivery).containsEntry("status", kind[1]).containsEntry("messageId", messageId);
            long told = SesMailbox.emailsTo(stack.sesUrl(), adminEmail).stream()
                    .filter(e -> String.valueOf(e.get("subject")).contains(invitee) && String.valueOf(e.get("subject")).contains(kind[2])).count();
            assertThat(told).isEqualTo(1);
            assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?action=invitation.delivery_failed&targetId=" + id, admin).body())
                    .contains("invitation.delivery_failed");
        }
        assertThat(stack.invoke("EmailEventsFunction", Files.readString(LocalStack.findProjectRoot().resolve("events/email/bounce.json"))))
                .contains("ignored");
    }
}
