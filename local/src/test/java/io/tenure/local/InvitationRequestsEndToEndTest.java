package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Invitation requests and the two-person rule (issue 14), end to end on the local stack with the
 * emails read from the SES emulator: a manager asks, an admin approves and the invitation goes out
 * as from the manager; a denied request sends nothing; under the two-person rule an admin's invite
 * of an external admin waits for a second admin, and nobody approves their own request; an
 * undecided request expires once.
 */
class InvitationRequestsEndToEndTest {
    private final LocalStack stack = SharedStack.get();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String adminEmail = "req-admin-" + run + "@acme.example";
    private final String[] admin = TestHttp.bearer(stack, adminEmail);

    @Test
    void aManagersRequestApprovedBecomesTheirInvitationAndADeniedOneSendsNothing() {
        String orgId = org("{\"invitesPerDay\":500,\"invitationRequests\":\"managers\"}");
        String projectId = project(orgId, "Web");
        String otherProject = project(orgId, "iOS");
        String managerEmail = "req-manager-" + run + "@partner.example";
        join(orgId, "{\"email\":\"" + managerEmail + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                + "\",\"role\":\"manager\"}]}", managerEmail);
        String[] manager = TestHttp.bearer(stack, managerEmail);

        // Only for the projects they manage.
        TestHttp.Response elsewhere = file(orgId, manager, "ana-" + run + "@partner.example", otherProject, "Needs the iOS data");
        assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(403);
        assertThat(elsewhere.body()).contains("you do not manage " + otherProject);
        // An admin may ask too: their request is one approval and waits for a second admin.
        TestHttp.Response byAdmin = file(orgId, admin, "cy-" + run + "@partner.example", projectId, "Wants a second opinion");
        assertThat(byAdmin.status()).as(byAdmin.body()).isEqualTo(201);
        assertThat(byAdmin.json()).containsEntry("approvalsNeeded", 2);
        assertThat((List<?>) byAdmin.json().get("approvals")).hasSize(1);

        String ana = "ana-" + run + "@partner.example";
        TestHttp.Response filed = file(orgId, manager, ana, projectId, "Builds the Q1 dashboards with us");
        assertThat(filed.status()).as(filed.body()).isEqualTo(201);
        assertThat(filed.json()).containsEntry("status", "pending").containsEntry("approvalsNeeded", 1);
        String requestId = (String) filed.json().get("id");
        assertThat(count(adminEmail, s -> s.contains(managerEmail + " asks to invite " + ana))).isEqualTo(1);
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), ana)).as("nothing goes to the address before approval").isEmpty();
        // The manager sees their own request; the admin sees it pending.
        assertThat(items(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/invitation-requests", manager))).hasSize(1);
        assertThat(items(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/invitation-requests?status=pending", admin)))
                .extracting(r -> r.get("id")).containsExactly(requestId, byAdmin.json().get("id"));

        TestHttp.Response approved = TestHttp.post(requestUrl(orgId, requestId) + "/approve",
                "{\"approvalReference\":\"CHG-2231\",\"note\":\"Checked with the project lead\"}", admin);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json()).containsEntry("status", "approved");
        @SuppressWarnings("unchecked")
        Map<String, Object> invitation = (Map<String, Object>) approved.json().get("invitation");
        assertThat(invitation).containsEntry("email", ana).containsEntry("status", "pending");
        assertThat(((Map<?, ?>) invitation.get("createdBy")).get("email")).isEqualTo(managerEmail);
        assertThat(invitation.get("approval").toString()).contains("CHG-2231").contains(requestId);
        List<Map<String, Object>> invitationEmails = SesMailbox.emailsTo(stack.sesUrl(), ana);
        assertThat(invitationEmails).hasSize(1);
        assertThat(SesMailbox.text(invitationEmails.get(0))).contains(managerEmail).contains("/invitations/accept?token=");
        assertThat(count(managerEmail, s -> s.equals("Your request to invite " + ana + " was approved"))).isEqualTo(1);
        // Decided once: a second approval is refused and changes nothing.
        assertThat(TestHttp.post(requestUrl(orgId, requestId) + "/approve", null, admin).status()).isEqualTo(409);

        String bo = "bo-" + run + "@partner.example";
        String deniedId = (String) file(orgId, manager, bo, projectId, "Helps with the launch").json().get("id");
        TestHttp.Response denied = TestHttp.post(requestUrl(orgId, deniedId) + "/deny", "{\"reason\":\"The engagement is not signed\"}", admin);
        assertThat(denied.status()).as(denied.body()).isEqualTo(200);
        assertThat(denied.json()).containsEntry("status", "denied").containsEntry("denialReason", "The engagement is not signed");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), bo)).as("a denied request sends nothing").isEmpty();
        assertThat(count(managerEmail, s -> s.equals("Your request to invite " + bo + " was denied"))).isEqualTo(1);

        assertThat(actions(orgId)).contains("invitation_request.created", "invitation_request.approved", "invitation_request.denied",
                "invitation.created");
    }

    @Test
    void underTheTwoPersonRuleAnAdminsInviteOfAnExternalAdminWaitsForASecondAdmin() {
        String orgId = org("{\"invitesPerDay\":500,\"internalDomains\":[\"acme.example\"]}");
        String secondEmail = "req-second-" + run + "@acme.example";
        join(orgId, "{\"email\":\"" + secondEmail + "\",\"orgRole\":\"admin\"}", secondEmail);
        String[] second = TestHttp.bearer(stack, secondEmail);
        TestHttp.Response on = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId, "{\"settings\":{\"requireSecondApproval\":true}}", admin);
        assertThat(on.status()).as(on.body()).isEqualTo(200);

        String lee = "lee-" + run + "@agency.example";
        TestHttp.Response invited = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + lee + "\",\"orgRole\":\"admin\",\"note\":{\"justification\":\"Runs the agency's side\"}}", admin);
        assertThat(invited.status()).as(invited.body()).isEqualTo(202);
        assertThat(invited.json()).containsEntry("approvalsNeeded", 2).containsEntry("secondApprovalBecause", "it grants the admin role");
        String requestId = (String) invited.json().get("id");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), lee)).isEmpty();

        TestHttp.Response own = TestHttp.post(requestUrl(orgId, requestId) + "/approve", null, admin);
        assertThat(own.status()).as(own.body()).isEqualTo(403);
        assertThat(own.json()).containsEntry("code", "self_approval");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), lee)).isEmpty();

        TestHttp.Response approved = TestHttp.post(requestUrl(orgId, requestId) + "/approve", "{\"approvalReference\":\"SEC-88\"}", second);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json()).containsEntry("status", "approved");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), lee)).hasSize(1);

        // An internal member is no admin and no outsider: invited at once.
        TestHttp.Response internal = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"dev-" + run + "@acme.example\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + project(orgId, "Web")
                        + "\",\"role\":\"analyst\"}]}", admin);
        assertThat(internal.status()).as(internal.body()).isEqualTo(201);
    }

    @Test
    void aMembersRequestUnderTheRuleNeedsTwoDifferentAdminsAndAnUndecidedOneExpiresOnce() {
        String orgId = org("{\"invitesPerDay\":500,\"invitationRequests\":\"members\",\"invitationRequestDays\":3,"
                + "\"internalDomains\":[\"acme.example\"]}");
        String projectId = project(orgId, "Web");
        String memberEmail = "req-member-" + run + "@acme.example";
        join(orgId, "{\"email\":\"" + memberEmail + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                + "\",\"role\":\"viewer\"}]}", memberEmail);
        String[] member = TestHttp.bearer(stack, memberEmail);
        String secondEmail = "req-second-" + run + "@acme.example";
        join(orgId, "{\"email\":\"" + secondEmail + "\",\"orgRole\":\"admin\"}", secondEmail);
        TestHttp.Response on = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId, "{\"settings\":{\"requireSecondApproval\":true}}", admin);
        assertThat(on.status()).as(on.body()).isEqualTo(200);

        String kim = "kim-" + run + "@partner.example";
        String requestId = (String) file(orgId, member, kim, projectId, "Shares the vendor data").json().get("id");
        TestHttp.Response first = TestHttp.post(requestUrl(orgId, requestId) + "/approve", null, admin);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json()).containsEntry("status", "pending");
        assertThat(((List<?>) first.json().get("approvals"))).hasSize(1);
        TestHttp.Response twice = TestHttp.post(requestUrl(orgId, requestId) + "/approve", null, admin);
        assertThat(twice.status()).isEqualTo(403);
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), kim)).isEmpty();
        assertThat(TestHttp.post(requestUrl(orgId, requestId) + "/approve", null, TestHttp.bearer(stack, secondEmail)).status()).isEqualTo(200);
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), kim)).hasSize(1);

        String lou = "lou-" + run + "@partner.example";
        String undecided = (String) file(orgId, member, lou, projectId, "Might help later").json().get("id");
        stack.clock().advance(Duration.ofDays(3).plusMinutes(1));
        assertThat(TestHttp.get(requestUrl(orgId, undecided), member).json()).containsEntry("status", "expired");
        run("ExpirySweepSchedule");
        run("ExpirySweepSchedule");
        assertThat(count(memberEmail, s -> s.equals("Your request to invite " + lou + " expired"))).isEqualTo(1);
        assertThat(TestHttp.post(requestUrl(orgId, undecided) + "/approve", null, admin).status()).isEqualTo(409);
        assertThat(actions(orgId)).contains("invitation_request.expired");
    }

    @Test
    void anOrgThatTakesNoRequestsRefusesThem() {
        String orgId = org("{\"invitesPerDay\":500}");
        String projectId = project(orgId, "Web");
        String memberEmail = "req-nobody-" + run + "@partner.example";
        join(orgId, "{\"email\":\"" + memberEmail + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                + "\",\"role\":\"manager\"}]}", memberEmail);
        TestHttp.Response refused = file(orgId, TestHttp.bearer(stack, memberEmail), "x-" + run + "@partner.example", projectId, "x");
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("does not take invitation requests");
    }

    private TestHttp.Response file(String orgId, String[] who, String email, String projectId, String reason) {
        return TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitation-requests", "{\"reason\":\"" + reason
                + "\",\"invitation\":{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\""
                + projectId + "\",\"role\":\"analyst\"}]}}", who);
    }

    private String requestUrl(String orgId, String requestId) {
        return stack.baseUrl() + "/orgs/" + orgId + "/invitation-requests/" + requestId;
    }

    private String org(String settings) {
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Request Analytics\",\"settings\":" + settings + "}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        return (String) org.json().get("id");
    }

    private String project(String orgId, String name) {
        return (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"" + name + "\"}", admin).json().get("id");
    }

    private void join(String orgId, String inviteBody, String email) {
        TestHttp.Response invited = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", inviteBody, admin);
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(TestHttp.Response page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return (List<Map<String, Object>>) page.json().get("items");
    }

    private List<Object> actions(String orgId) {
        return items(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?limit=100", admin)).stream().map(e -> e.get("action")).toList();
    }

    private void run(String schedule) {
        TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/_local/schedules/" + schedule, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private long count(String to, Predicate<String> subject) {
        return SesMailbox.emailsTo(stack.sesUrl(), to).stream().map(e -> String.valueOf(e.get("subject"))).filter(subject).count();
    }
}
