package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin console in a real browser against the shared local stack: Debian's chromium at
 * /usr/bin/chromium, driven by playwright-core from the Node scripts under console/e2e/, with
 * axe-core checking each screen. A missing chromium, console build or package fails the test with
 * how to get it; it is never skipped.
 */
class ConsoleBrowserEndToEndTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    private static LocalStack stack;

    @BeforeAll
    static void stackAndTools() {
        stack = SharedStack.get();
        BrowserScripts.requireTools(true);
    }

    @Test
    void theBannerNamesTheConsole() {
        assertThat(stack.banner()).contains("Console        " + stack.baseUrl() + "/console/")
                .doesNotContain("[not built: " + ConsoleFiles.HOW_TO_BUILD);
    }

    /** Sign in, the empty orgs state, an org name refused beside its field, an org created, opened and given a project. */
    @Test
    void anAdminSignsInAndCreatesAnOrgInChromium() {
        run("e2e/orgs.e2e.mjs");
    }

    /**
     * Invite one collaborator (an empty address refused beside its field first) with a note and an end
     * date, see it pending with its delivery, resend (refused within the minute with the wait in words,
     * sent once the stack clock moves a minute), revoke another after confirming, a batch of 3 lines with
     * one bad address, and the pending invitation on the Overview; issue 15: a typo corrected with "Use
     * <address>" (one invitation and a batch line), the Correct address form with the API's 422, 409 and
     * a 412, the delivery filter after SES Delivery and DeliveryDelay events, and the audit of corrections.
     */
    @Test
    void anAdminInvitesResendsRevokesAndInvitesABatchInChromium() {
        run("e2e/invite.e2e.mjs");
    }

    /**
     * The Overview with data made through the API: an invitation whose email bounced (the SES bounce
     * event given to EmailEventsFunction) and a member whose access ends in 20 days; the script sees the
     * bounce, moves the stack clock 10 days and sees the access ending and the invitation expired.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theOverviewShowsABouncedEmailAndAccessEndingInChromium() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String admin = "overview-admin-" + run + "@console.example";
        String orgName = "Overview Org " + run;
        String bounced = "bounced-" + run + "@partner.example";
        String member = "member-" + run + "@partner.example";
        String[] bearer = TestHttp.bearer(stack, admin);
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"" + orgName + "\"}", bearer).json().get("id");
        String projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", bearer).json().get("id");
        String roles = "\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"viewer\"}]";

        TestHttp.Response toBounce = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + bounced + "\"," + roles + "}", bearer);
        assertThat(toBounce.status()).as(toBounce.body()).isEqualTo(201);
        String messageId = (String) ((Map<String, Object>) toBounce.json().get("delivery")).get("messageId");
        String bounce = Files.readString(ProjectFiles.root().resolve("events/email/bounce.json"))
                .replace("0100019b5f2c1a2b-3c4d5e6f-7a8b-9c0d-1e2f-3a4b5c6d7e8f-000000", messageId);
        assertThat(stack.invoke("EmailEventsFunction", bounce)).contains("recorded");

        TestHttp.Response toAccept = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + member + "\"," + roles + ",\"stakeholders\":[\"lead-" + run + "@console.example\"],\"accessEndsAt\":\""
                        + stack.clock().instant().plus(Duration.ofDays(20)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\"}", bearer);
        assertThat(toAccept.status()).as(toAccept.body()).isEqualTo(201);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, member) + "\"}");
        assertThat(accepted.status()).as("accepting the invitation").isEqualTo(200);

        run("e2e/overview.e2e.mjs", Map.of("ADMIN_EMAIL", admin, "ORG_NAME", orgName, "BOUNCED_EMAIL", bounced, "MEMBER_EMAIL", member));
    }

    /**
     * Members and Audit with data made through the API: three members who accepted their invitations
     * (one whose access ends in 10 days), and two pending invitations whose gmail addresses are
     * variants of one another, among 10 pending invitations (so the audit has more than one page). The script filters Members, extends an access end date through a 412
     * (it changes the member through the API between load and save), removes a member with a reason,
     * and finds those events in Audit and in its CSV download.
     */
    @Test
    void anAdminManagesMembersAndReadsTheAuditInChromium() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String admin = "members-admin-" + run + "@console.example";
        String orgName = "Members Org " + run;
        String[] bearer = TestHttp.bearer(stack, admin);
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"" + orgName + "\"}", bearer).json().get("id");
        String web = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", bearer).json().get("id");
        String ios = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"iOS\"}", bearer).json().get("id");
        String ending = "ana-" + run + "@partner.example";
        String viewer = "bo-" + run + "@partner.example";
        String leaving = "cy-" + run + "@partner.example";
        acceptedMember(orgId, bearer, ending, web, "analyst", 10);
        acceptedMember(orgId, bearer, viewer, ios, "viewer", 200);
        acceptedMember(orgId, bearer, leaving, web, "viewer", 60);
        // The ending member signs in once (GET /me records the activity), so the list has a last activity to show.
        assertThat(TestHttp.get(stack.baseUrl() + "/me", TestHttp.bearer(stack, ending)).status()).isEqualTo(200);
        String duplicate = "dup." + run + "@gmail.com";
        String variant = "dup" + run + "+x@gmail.com";
        List<String> pending = new java.util.ArrayList<>(List.of(duplicate, variant));
        for (int i = 1; i <= 8; i++) {
            pending.add("pending-" + i + "-" + run + "@partner.example"); // more audit events than one page holds
        }
        for (String email : pending) {
            TestHttp.Response invited = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                    "{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + web + "\",\"role\":\"viewer\"}]}", bearer);
            assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        }

        run("e2e/members.e2e.mjs", Map.of("ADMIN_EMAIL", admin, "ORG_NAME", orgName, "ENDING_EMAIL", ending, "VIEWER_EMAIL", viewer,
                "LEAVING_EMAIL", leaving, "DUPLICATE_EMAIL", duplicate, "VARIANT_EMAIL", variant));
    }

    /**
     * Settings with an org and the projects Web and Old made through the API. The script changes org
     * settings (one refused by the form, one by the API beside its field, project managers reviewing
     * turned on, then a 412 when the settings change through the API meanwhile), adds a welcome link, renames and archives Old, makes an API key
     * for Web whose secret is shown once and works on POST /api/v1/identify until revoked, and turns on
     * Web's identity hashing; it checks each against the API. Issue 15: the SSO sign-in saved after a
     * login address refused by the form and a domain by the API, and an invite outside the SSO domains warned.
     */
    @Test
    void anAdminChangesSettingsProjectsAndApiKeysInChromium() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String admin = "settings-admin-" + run + "@console.example";
        String orgName = "Settings Org " + run;
        String[] bearer = TestHttp.bearer(stack, admin);
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"" + orgName + "\"}", bearer).json().get("id");
        for (String project : List.of("Web", "Old")) {
            TestHttp.Response created = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"" + project + "\"}", bearer);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }

        run("e2e/settings.e2e.mjs", Map.of("ADMIN_EMAIL", admin, "ORG_NAME", orgName));
    }

    /**
     * Requests with an org that takes requests from members (invitationRequests: members), its project
     * Web, a member and a second admin who accepted their invitations, and one request the member made
     * through the API. The script: the member asks for an invitation (the API's 422 beside the fields
     * first) and sees it; the admin approves it with a reference and the invitation is sent, denies the
     * other (an empty reason refused beside its field); the two-person rule and the new settings saved
     * from Settings; an admin's invite then waits (202, the panel linking to Requests), its own approval
     * refused (self_approval), and the second admin's approval sends it.
     */
    @Test
    void membersAskForInvitationsAndAdminsDecideInChromium() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String admin = "requests-admin-" + run + "@console.example";
        String secondAdmin = "requests-second-" + run + "@console.example";
        String member = "requests-member-" + run + "@partner.example";
        String toDeny = "deny-" + run + "@partner.example";
        String orgName = "Requests Org " + run;
        String[] bearer = TestHttp.bearer(stack, admin);
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"" + orgName + "\"}", bearer).json().get("id");
        TestHttp.Response takesRequests = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId,
                "{\"settings\":{\"invitationRequests\":\"members\"}}", bearer);
        assertThat(takesRequests.status()).as(takesRequests.body()).isEqualTo(200);
        String web = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", bearer).json().get("id");
        acceptedMember(orgId, bearer, member, web, "viewer", 200);
        TestHttp.Response invitedAdmin = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + secondAdmin + "\",\"orgRole\":\"admin\"}", bearer);
        assertThat(invitedAdmin.status()).as(invitedAdmin.body()).isEqualTo(201);
        TestHttp.Response acceptedAdmin = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, secondAdmin) + "\"}");
        assertThat(acceptedAdmin.status()).as("accepting the second admin's invitation").isEqualTo(200);
        TestHttp.Response asked = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitation-requests",
                "{\"reason\":\"Reviews the funnel once\",\"invitation\":{\"email\":\"" + toDeny
                        + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + web + "\",\"role\":\"viewer\"}]}}",
                TestHttp.bearer(stack, member));
        assertThat(asked.status()).as(asked.body()).isEqualTo(201);

        run("e2e/requests.e2e.mjs", Map.of("ADMIN_EMAIL", admin, "SECOND_ADMIN_EMAIL", secondAdmin, "MEMBER_EMAIL", member,
                "DENY_EMAIL", toDeny, "ORG_NAME", orgName, "WEB_ID", web));
    }

    /**
     * Reviews with an org, its project Web and three members who accepted their invitations (a manager,
     * an analyst and a viewer of Web). The script: the admin opens a review (an end in 5 days refused
     * beside its field first), its link loads directly, the Web manager is told the org has not asked
     * them to review, then (project managers reviewing turned on in Settings) sees the two Web members
     * only; the admin keeps one member, changes another's end date, keeps their own access and
     * removes the third after confirming; the review is closed and its evidence downloads as CSV and JSON.
     */
    @Test
    void anAdminOpensAndDecidesAnAccessReviewInChromium() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String admin = "reviews-admin-" + run + "@console.example";
        String orgName = "Reviews Org " + run;
        String keep = "keep-" + run + "@partner.example";
        String change = "change-" + run + "@partner.example";
        String remove = "remove-" + run + "@partner.example";
        String[] bearer = TestHttp.bearer(stack, admin);
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"" + orgName + "\"}", bearer).json().get("id");
        String web = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", bearer).json().get("id");
        acceptedMember(orgId, bearer, keep, web, "manager", 200);
        acceptedMember(orgId, bearer, change, web, "analyst", 60);
        acceptedMember(orgId, bearer, remove, web, "viewer", 90);

        run("e2e/reviews.e2e.mjs", Map.of("ADMIN_EMAIL", admin, "ORG_NAME", orgName, "WEB_ID", web,
                "KEEP_EMAIL", keep, "CHANGE_EMAIL", change, "REMOVE_EMAIL", remove));
    }

    /** An invitation to {@code email} with one project role and an end {@code days} from the stack's now, accepted with the emailed token. */
    private static void acceptedMember(String orgId, String[] bearer, String email, String projectId, String role, int days) {
        String endsAt = stack.clock().instant().plus(Duration.ofDays(days)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        TestHttp.Response invited = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"" + role
                        + "\"}],\"stakeholders\":[\"lead@console.example\"],\"accessEndsAt\":\"" + endsAt + "\"}", bearer);
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}");
        assertThat(accepted.status()).as("accepting the invitation of %s", email).isEqualTo(200);
    }

    private static void run(String script) {
        run(script, Map.of());
    }

    private static void run(String script, Map<String, String> env) {
        Map<String, String> environment = new HashMap<>(env);
        environment.put("TENURE_URL", stack.baseUrl());
        BrowserScripts.assertPassed(BrowserScripts.run("console-e2e", List.of(script), environment, RUN_TIMEOUT), script);
    }
}
