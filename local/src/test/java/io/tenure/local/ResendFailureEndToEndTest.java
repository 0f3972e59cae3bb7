package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 3 over HTTP: with SES down, a resend reports the failure, the link the invitee
 * holds still accepts, and refused sends do not use up the resend limits.
 */
class ResendFailureEndToEndTest {
    private static LocalStack stack;
    private static String[] admin;
    private static String orgId;
    private static String projectId;

    @BeforeAll
    static void createOrgAndProject() {
        stack = SharedStack.get();
        admin = TestHttp.bearer(stack, "owner-" + UUID.randomUUID() + "@acme.example");
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme Resends\"}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        orgId = (String) org.json().get("id");
        TestHttp.Response project = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web storefront\"}", admin);
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        projectId = (String) project.json().get("id");
    }

    @Test
    void aResendWhileSesIsDownReportsTheFailureAndTheOldLinkStillAccepts() {
        String invitee = "keep-" + UUID.randomUUID() + "@partner.example";
        String id = invite(invitee);
        String oldToken = Invitations.tokenFromEmail(stack, invitee);
        stack.clock().advance(Duration.ofMinutes(2));

        TestHttp.Response resent = resendWhileSesIsDown(id);

        assertThat(resent.status()).as(resent.body()).isEqualTo(200);
        assertThat(((Map<?, ?>) resent.json().get("delivery")).get("status")).isEqualTo("failed");
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + oldToken + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json()).containsEntry("email", invitee);
    }

    @Test
    void resendsSesRefusedDoNotUseUpTheDailyLimit() {
        awayFromMidnight();
        String invitee = "limit-" + UUID.randomUUID() + "@partner.example";
        String id = invite(invitee); // its own send is the first of the day's five

        for (int i = 0; i < 4; i++) {
            stack.clock().advance(Duration.ofMinutes(2));
            TestHttp.Response failed = resendWhileSesIsDown(id);
            assertThat(failed.status()).as(failed.body()).isEqualTo(200);
            assertThat(((Map<?, ?>) failed.json().get("delivery")).get("status")).isEqualTo("failed");
        }
        // Not counted, not even against the minute: SES is back and the sends go at once.
        for (int send = 2; send <= 5; send++) {
            TestHttp.Response sent = resend(id);
            assertThat(sent.status()).as("send " + send + ": " + sent.body()).isEqualTo(200);
            assertThat(((Map<?, ?>) sent.json().get("delivery")).get("status")).isEqualTo("sent");
            stack.clock().advance(Duration.ofMinutes(2));
        }
        TestHttp.Response sixth = resend(id);
        assertThat(sixth.status()).as(sixth.body()).isEqualTo(429);
        String last = Invitations.tokenFromEmail(stack, invitee);
        assertThat(TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + last + "\"}").status()).isEqualTo(200);
    }

    private static TestHttp.Response resendWhileSesIsDown(String id) {
        stack.ses().stop();
        try {
            return resend(id);
        } finally {
            stack.ses().start();
        }
    }

    private static TestHttp.Response resend(String id) {
        return TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + id + "/resend", null, admin);
    }

    private static String invite(String email) {
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + email
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"analyst\"}]}", admin);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        return (String) invite.json().get("id");
    }

    /** The daily count starts again at midnight UTC: keep this test's half hour within one day. */
    private static void awayFromMidnight() {
        Instant now = stack.clock().instant();
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (Duration.between(now, midnight).compareTo(Duration.ofHours(1)) < 0) {
            stack.clock().advance(Duration.between(now, midnight).plusMinutes(1));
        }
    }
}
