package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Inactive collaborators are removed (issue 14): with {@code removeAfterInactiveDays} set, a
 * collaborator with no activity is warned (with their inviter) 7 days before, then removed, each
 * exactly once though the schedules run twice; one who uses their access after the warning stays.
 * End to end on the local stack, the clock moved and the schedules run as AWS runs them.
 */
class InactivityEndToEndTest {
    private final LocalStack stack = SharedStack.get();
    private final String adminEmail = "idle-admin-" + UUID.randomUUID() + "@acme.example";
    private final String[] admin = TestHttp.bearer(stack, adminEmail);

    @Test
    void anInactiveCollaboratorIsWarnedThenRemovedEachOnceAndOneWhoComesBackStays() {
        String orgId = org("{\"invitesPerDay\":500,\"removeAfterInactiveDays\":30}");
        String projectId = project(orgId);
        String idle = "idle-" + UUID.randomUUID() + "@partner.example";
        String returning = "returning-" + UUID.randomUUID() + "@partner.example";
        String idleId = inviteAndAccept(orgId, projectId, idle);
        String returningId = inviteAndAccept(orgId, projectId, returning);

        advance(Duration.ofDays(23).plusHours(1));
        run("RemindersSchedule");
        run("RemindersSchedule");
        for (String who : new String[] {idle, returning}) {
            assertThat(count(who, s -> s.startsWith("Your access to Idle Analytics will be removed on"))).as(who).isEqualTo(1);
            assertThat(count(adminEmail, s -> s.startsWith(who + "'s access to Idle Analytics will be removed for inactivity on")))
                    .as(who).isEqualTo(1);
        }
        assertThat(TestHttp.get(stack.baseUrl() + "/me", TestHttp.bearer(stack, returning)).status()).isEqualTo(200);

        advance(Duration.ofDays(7).plusHours(1));
        run("ExpirySweepSchedule");
        run("ExpirySweepSchedule");
        assertThat(member(orgId, idleId)).containsEntry("status", "removed");
        assertThat(count(idle, s -> s.equals("Your access to Idle Analytics was removed"))).isEqualTo(1);
        assertThat(count(adminEmail, s -> s.equals(idle + "'s access to Idle Analytics was removed for inactivity"))).isEqualTo(1);
        assertThat(member(orgId, returningId)).containsEntry("status", "active");
        assertThat(count(returning, s -> s.equals("Your access to Idle Analytics was removed"))).isZero();
    }

    @Test
    void turningTheSettingOnPlansAWarningForEveryCollaboratorAlreadyThere() {
        String orgId = org("{\"invitesPerDay\":500}");
        String projectId = project(orgId);
        String collaborator = "already-" + UUID.randomUUID() + "@partner.example";
        inviteAndAccept(orgId, projectId, collaborator);
        advance(Duration.ofDays(20));
        TestHttp.Response patched = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId,
                "{\"settings\":{\"removeAfterInactiveDays\":14}}", admin);
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);

        run("RemindersSchedule"); // plans the warnings; inactive 20 days already, so the warning is due now
        run("RemindersSchedule");
        assertThat(count(collaborator, s -> s.startsWith("Your access to Idle Analytics will be removed on"))).isEqualTo(1);
    }

    private String org(String settings) {
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Idle Analytics\",\"settings\":" + settings + "}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        return (String) org.json().get("id");
    }

    private String project(String orgId) {
        return (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin).json().get("id");
    }

    private String inviteAndAccept(String orgId, String projectId, String email) {
        TestHttp.Response invited = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + email
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"analyst\"}]}", admin);
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        return (String) accepted.json().get("id");
    }

    private Map<String, Object> member(String orgId, String memberId) {
        TestHttp.Response member = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members/" + memberId, admin);
        assertThat(member.status()).as(member.body()).isEqualTo(200);
        return member.json();
    }

    private void advance(Duration by) {
        assertThat(TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"advance\":\"" + by + "\"}").status()).isEqualTo(200);
    }

    private void run(String schedule) {
        TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/_local/schedules/" + schedule, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private long count(String to, Predicate<String> subject) {
        return SesMailbox.emailsTo(stack.sesUrl(), to).stream().map(e -> String.valueOf(e.get("subject"))).filter(subject).count();
    }
}
