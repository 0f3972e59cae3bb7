package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SES that accepts connections and never answers. With the template as it is, the SDK's timeouts
 * end the send well inside the function's Timeout and the admin is told the email was not sent.
 * With a copy whose invite function has a Timeout shorter than its SES call may take, Lambda stops
 * the function mid-send: the caller gets API Gateway's answer, and nothing is lost: the invitation
 * exists and says its send was not confirmed, a retry with the same Idempotency-Key is answered
 * with that invitation once the claim's lease lapses (not "in progress" for a day), and a resend
 * recovers it.
 * Times are printed, not asserted.
 */
class HangingSesEndToEndTest {
    @TempDir
    static Path folder;
    private static LocalStack stack;
    private static String[] admin;
    private static String orgId;

    @BeforeAll
    static void startWithAShortInviteTimeout() throws Exception {
        String text = TemplateCopies.text();
        String invite = "  InviteFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n";
        assertThat(text).as("template.yaml defines InviteFunction as the test expects").contains(invite);
        text = text.replace(invite, invite + "      Timeout: 3\n");
        stack = TemplateCopies.start(folder, text);
        admin = TestHttp.bearer(stack, "admin-" + UUID.randomUUID() + "@acme.example");
        orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme\"}", admin).json().get("id");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void withTheTemplateAsItIsAStuckSendEndsInTimeAndTheAdminIsTold() {
        LocalStack shared = SharedStack.get();
        String[] sharedAdmin = TestHttp.bearer(shared, "admin-" + UUID.randomUUID() + "@acme.example");
        String sharedOrg = (String) TestHttp.post(shared.baseUrl() + "/orgs", "{\"name\":\"Acme\"}", sharedAdmin).json().get("id");
        shared.ses().hang();
        try {
            long started = System.nanoTime();
            TestHttp.Response invite = TestHttp.post(shared.baseUrl() + "/orgs/" + sharedOrg + "/invitations",
                    "{\"email\":\"ana-" + UUID.randomUUID() + "@partner.example\",\"orgRole\":\"admin\"}", sharedAdmin);
            System.out.printf("[hanging-ses] invite with a stuck SES answered %d after %.1f s%n", invite.status(),
                    (System.nanoTime() - started) / 1e9);
            assertThat(invite.status()).as(invite.body()).isEqualTo(201);
            assertThat((Map<String, Object>) invite.json().get("delivery")).containsEntry("status", "failed");
            assertThat((List<Map<String, Object>>) invite.json().get("warnings"))
                    .extracting(w -> w.get("code")).contains("email_not_sent");
        } finally {
            shared.ses().start();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFunctionStoppedMidSendLosesNothing() {
        String invitee = "bo-" + UUID.randomUUID() + "@partner.example";
        String body = "{\"email\":\"" + invitee + "\",\"orgRole\":\"admin\"}";
        String key = "invite-" + UUID.randomUUID();
        String url = stack.baseUrl() + "/orgs/" + orgId + "/invitations";
        String[] headers = {admin[0], admin[1], "Idempotency-Key", key};

        stack.ses().hang();
        TestHttp.Response stopped;
        try {
            long started = System.nanoTime();
            stopped = TestHttp.post(url, body, headers);
            System.out.printf("[hanging-ses] invite stopped at its 3 s Timeout answered %d after %.1f s%n", stopped.status(),
                    (System.nanoTime() - started) / 1e9);

            // Lambda reports the timeout as a function error: the HTTP API answers 500.
            assertThat(stopped.status()).isEqualTo(500);
            assertThat(stopped.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");

            // While the claim's lease runs, a retry is told the first is still in progress.
            TestHttp.Response early = TestHttp.post(url, body, headers);
            assertThat(early.status()).as(early.body()).isEqualTo(409);
            assertThat(early.body()).contains("request_in_progress");
        } finally {
            stack.ses().start(); // the stopped run's SES call now fails, and its write of that is refused
        }

        Map<String, Object> invitation = pendingInvitationOf(invitee);
        assertThat((Map<String, Object>) invitation.get("delivery")).as("saved before the send began")
                .containsEntry("status", "sending");

        stack.clock().advance(Duration.ofMinutes(3));
        invitation = pendingInvitationOf(invitee);
        assertThat((Map<String, Object>) invitation.get("delivery")).as("no function runs that long: not confirmed")
                .containsEntry("status", "unconfirmed");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), invitee)).isEmpty();

        // The lease lapsed: the retry runs again instead of answering "in progress" for a day.
        TestHttp.Response retry = TestHttp.post(url, body, headers);
        System.out.println("[hanging-ses] retry after the lease: " + retry.status() + " " + retry.body());
        assertThat(retry.body()).doesNotContain("request_in_progress");
        assertThat(retry.status()).as("the retry answers with the invitation the first attempt made").isEqualTo(201);
        assertThat(retry.json()).containsEntry("id", invitation.get("id"));
        assertThat((List<Map<String, Object>>) retry.json().get("warnings"))
                .extracting(w -> w.get("code")).contains("email_not_confirmed");

        // A resend recovers it.
        TestHttp.Response resend = TestHttp.post(url + "/" + invitation.get("id") + "/resend", null, admin);
        assertThat(resend.status()).as(resend.body()).isEqualTo(200);
        assertThat((Map<String, Object>) resend.json().get("delivery")).containsEntry("status", "sent");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), invitee)).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pendingInvitationOf(String invitee) {
        TestHttp.Response list = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/invitations", admin);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        return ((List<Map<String, Object>>) list.json().get("items")).stream()
                .filter(i -> invitee.equals(i.get("email"))).findFirst()
                .orElseThrow(() -> new AssertionError("no invitation for " + invitee + " in " + list.body()));
    }
}
