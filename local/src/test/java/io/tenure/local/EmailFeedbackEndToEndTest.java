package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * SES's reports (sample EventBridge events from events/email): bounces and complaints mark the
 * invitation once and tell the inviter once; a delay and a delivery are shown, never backwards,
 * and a delivered invitation's 72-hour nudge points the inviter to the spam folder.
 */
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

    @Test
    @SuppressWarnings("unchecked")
    void aDelayThenADeliveryAreShownAndTheNudgeOfADeliveredInvitationMentionsSpam() throws Exception {
        LocalStack stack = SharedStack.get();
        String adminEmail = "delivered-admin-" + UUID.randomUUID() + "@acme.example";
        String[] admin = TestHttp.bearer(stack, adminEmail);
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Delivery Co\"}", admin).json().get("id");
        String invitee = "delivered-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + invitee + "\",\"orgRole\":\"admin\"}", admin);
        String id = (String) invite.json().get("id");
        String messageId = (String) ((Map<String, Object>) invite.json().get("delivery")).get("messageId");
        String delay = Files.readString(LocalStack.findProjectRoot().resolve("events/email/delivery-delay.json")).replace(SAMPLE_MESSAGE_ID, messageId);
        String delivered = Files.readString(LocalStack.findProjectRoot().resolve("events/email/delivery.json")).replace(SAMPLE_MESSAGE_ID, messageId);
        String invitations = stack.baseUrl() + "/orgs/" + orgId + "/invitations";

        assertThat(stack.invoke("EmailEventsFunction", delay)).contains("recorded");
        Map<String, Object> shown = (Map<String, Object>) TestHttp.get(invitations + "/" + id, admin).json().get("delivery");
        assertThat(shown).containsEntry("status", "delayed");
        assertThat((String) shown.get("error")).contains("MailboxFull").contains("over quota");
        assertThat(ids(TestHttp.get(invitations + "?delivery=delayed", admin))).containsExactly(id);

        assertThat(stack.invoke("EmailEventsFunction", delivered)).contains("recorded");
        assertThat(stack.invoke("EmailEventsFunction", delay)).contains("ignored");
        shown = (Map<String, Object>) TestHttp.get(invitations + "/" + id, admin).json().get("delivery");
        // The time the receiving server took it, as SES reported it.
        assertThat(shown).containsEntry("status", "delivered").containsEntry("since", "2026-11-24T09:00:02.519Z");
        assertThat(ids(TestHttp.get(invitations + "?delivery=delivered", admin))).containsExactly(id);
        assertThat(ids(TestHttp.get(invitations + "?delivery=delayed", admin))).isEmpty();
        assertThat(TestHttp.get(invitations + "?delivery=read", admin).body()).contains("/delivery");
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?action=invitation.delivered&targetId=" + id, admin).body())
                .contains("invitation.delivered");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), adminEmail)).isEmpty(); // no news for the inviter yet

        stack.clock().advance(java.time.Duration.ofHours(73));
        assertThat(TestHttp.post(stack.baseUrl() + "/_local/schedules/RemindersSchedule", null).status()).isEqualTo(200);
        java.util.List<Map<String, Object>> nudges = SesMailbox.emailsTo(stack.sesUrl(), adminEmail).stream()
                .filter(e -> String.valueOf(e.get("subject")).contains(invitee)).toList();
        assertThat(nudges).hasSize(1);
        assertThat(SesMailbox.text(nudges.get(0))).contains("reached their mail server").contains("spam or junk folder");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), invitee).stream().map(SesMailbox::text))
                .anyMatch(text -> text.contains("Reminder") || text.contains("still waiting"));
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<Object> ids(TestHttp.Response page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return ((java.util.List<Map<String, Object>>) page.json().get("items")).stream().map(item -> item.get("id")).toList();
    }
}
