package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The collaborator's accept page in a real browser against the shared local stack: invitations are
 * made through the API, their links are taken from the emails the SES emulator received, and
 * console/e2e/accept.e2e.mjs opens them in Debian's chromium (playwright-core), checking what the
 * collaborator sees, the HTTP status, the keyboard path to Accept, axe-core, the CSP and that no other
 * host is contacted. What a page must show goes to the script as JSON in ACCEPT_EXPECT; the link goes
 * in ACCEPT_LINK and the script never prints its token. A missing chromium or package fails the test
 * with how to get it; it is never skipped.
 */
class AcceptPageBrowserEndToEndTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern LINK = Pattern.compile("https?://\\S+/invitations/accept\\?token=[A-Za-z0-9_-]{43}");
    // How the page writes dates (Dates.human): what the collaborator reads.
    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStack stack;
    private static String run;
    private static String adminEmail;
    private static String[] admin;
    private static String orgName;
    private static String orgId;
    private static String projectId;

    @BeforeAll
    static void stackToolsAndOrg() {
        stack = SharedStack.get();
        BrowserScripts.requireTools(false);
        run = UUID.randomUUID().toString().substring(0, 8);
        adminEmail = "accept-admin-" + run + "@acme.example";
        admin = TestHttp.bearer(stack, adminEmail);
        orgName = "Accept Page Org " + run;
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"" + orgName
                + "\",\"settings\":{\"loginUrl\":\"https://analytics.acme.example/login\"}}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        orgId = (String) org.json().get("id");
        TestHttp.Response project = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web storefront\"}", admin);
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        projectId = (String) project.json().get("id");
    }

    /**
     * The invitation shows its org, inviter, address, role, project, note and access end; opening it
     * twice in one browser context and once in another (and once more in a third, where chromium is
     * shown to enforce the page's CSP) leaves it pending and makes no member.
     */
    @Test
    void openingTheLinkTwiceAndFromASecondContextShowsTheInvitationAndChangesNothing() {
        Invited invited = invite("open");

        runScript("invitation", invited.link(), invited.expectations());

        Map<String, Object> invitation = invitation(invited.id());
        assertThat(invitation).as("the invitation after three opens").containsEntry("status", "pending").containsEntry("sendCount", 1);
        assertThat(members()).as("the org's members after three opens").doesNotContain(invited.email());
    }

    /**
     * Tab to Accept and press Enter: the welcome page, and the member through the API. A page opened
     * before, in another context, then gets the used page when its Accept is pressed, as does the link.
     */
    @Test
    @SuppressWarnings("unchecked")
    void acceptingWithTheKeyboardWelcomesTheCollaboratorAndMakesTheMemberThenTheLinkIsUsed() {
        Invited invited = invite("accept");

        runScript("accept", invited.link(), invited.expectations());

        assertThat(invitation(invited.id())).as("the invitation after Accept").containsEntry("status", "accepted");
        TestHttp.Response members = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members?limit=100", admin);
        assertThat(members.status()).as(members.body()).isEqualTo(200);
        Map<String, Object> member = ((List<Map<String, Object>>) members.json().get("items")).stream()
                .filter(m -> invited.email().equals(m.get("email"))).findFirst()
                .orElseThrow(() -> new AssertionError("no member " + invited.email() + " after Accept: " + members.body()));
        assertThat(member).containsEntry("orgRole", "member").containsEntry("status", "active")
                .containsEntry("projects", Map.of(projectId, "analyst"))
                .containsEntry("invitationId", invited.id());
        assertThat(Instant.parse((String) member.get("accessEndsAt"))).isEqualTo(invited.accessEndsAt());

        runScript("used", invited.link(), gone(410, "This invitation was already accepted", "Sign in to the organization instead."));
    }

    /** Past the link's lifetime (the stack clock moved 8 days; it only ever moves forward): 410 and "ask for a new link". */
    @Test
    void anExpiredLinkShowsTheExpiredPage() {
        Invited invited = invite("expired");
        TestHttp.Response moved = TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"advance\":\"P8D\"}");
        assertThat(moved.status()).as("moving the stack clock: " + moved.body()).isEqualTo(200);

        runScript("expired", invited.link(),
                gone(410, "This invitation link has expired", "Ask the person who invited you to send a new link."));
        assertThat(invitation(invited.id())).containsEntry("status", "expired");
    }

    /** Revoked through the API: 410 and "ask the person who invited you". */
    @Test
    void aRevokedLinkShowsTheWithdrawnPage() {
        Invited invited = invite("revoked");
        TestHttp.Response revoked = TestHttp.send("DELETE", stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + invited.id(), null, admin);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);

        runScript("revoked", invited.link(),
                gone(410, "This invitation was withdrawn", "Ask the person who invited you if you still need access."));
        assertThat(invitation(invited.id())).as("the invitation after its link was opened").containsEntry("status", "revoked");
    }

    /** A token no invitation has (a well-formed one, so it is the lookup that fails): 404 and "check the link". */
    @Test
    void anUnknownTokenShowsTheNotFoundPage() {
        String unknown = stack.baseUrl() + "/invitations/accept?token=" + "Q".repeat(43);

        runScript("not found", unknown,
                gone(404, "Invitation not found", "This invitation link is not valid. Check that you copied the whole link."));
    }

    /** An invitation to a fresh address in this org, with a note and an end date, and its emailed link. */
    private static Invited invite(String label) {
        String email = "accept-" + label + "-" + run + "@partner.example";
        Instant accessEndsAt = stack.clock().instant().plus(Duration.ofDays(90)).truncatedTo(ChronoUnit.MINUTES);
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + email
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"analyst\"}],"
                + "\"note\":{\"engagement\":\"Q4 funnel analysis\",\"justification\":\"Builds the Q4 dashboards\"},"
                + "\"accessEndsAt\":\"" + accessEndsAt + "\"}", admin);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        return new Invited((String) invite.json().get("id"), email, accessEndsAt, linkFromEmail(email));
    }

    /** The accept link exactly as the invitation email gives it (the token alone is never printed). */
    private static String linkFromEmail(String address) {
        String link = Await.value(Duration.ofSeconds(10), "an invitation email to " + address, () -> {
            for (Map<String, Object> email : SesMailbox.emailsTo(stack.sesUrl(), address)) {
                Matcher found = LINK.matcher(SesMailbox.text(email));
                if (found.find()) {
                    return java.util.Optional.of(found.group());
                }
            }
            return java.util.Optional.empty();
        });
        // The browser must reach the stack the email points at; only the part before the token is compared (and printed).
        assertThat(link.substring(0, link.indexOf("?token="))).as("the emailed link's address").isEqualTo(stack.baseUrl() + "/invitations/accept");
        return link;
    }

    private static Map<String, Object> gone(int status, String heading, String whatToDo) {
        return Map.of("status", status, "heading", heading, "whatToDo", whatToDo);
    }

    private static Map<String, Object> invitation(String id) {
        TestHttp.Response response = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + id, admin);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @SuppressWarnings("unchecked")
    private static List<String> members() {
        TestHttp.Response response = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members?limit=100", admin);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return ((List<Map<String, Object>>) response.json().get("items")).stream().map(m -> (String) m.get("email")).toList();
    }

    private static void runScript(String state, String link, Map<String, Object> expectations) {
        Map<String, String> environment = new HashMap<>();
        try {
            environment.put("ACCEPT_EXPECT", JSON.writeValueAsString(expectations));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        environment.putAll(Map.of("ACCEPT_STATE", state, "ACCEPT_LINK", link, "TENURE_URL", stack.baseUrl()));
        ToolRun ran = BrowserScripts.run("accept-e2e " + state, List.of("e2e/accept.e2e.mjs"), environment, RUN_TIMEOUT);
        // Asserted as a boolean so that a failure does not print the token itself.
        assertThat(ran.output().contains(link.substring(link.indexOf("token=") + 6))).as("the script printed the link's token").isFalse();
        BrowserScripts.assertPassed(ran, "e2e/accept.e2e.mjs (" + state + ")");
    }

    /** An invitation made for one test: its id, address, access end and emailed link. */
    private record Invited(String id, String email, Instant accessEndsAt, String link) {
        /** What the invitation page must show the collaborator. */
        Map<String, Object> expectations() {
            Map<String, Object> expect = new LinkedHashMap<>();
            expect.put("status", 200);
            expect.put("org", orgName);
            expect.put("inviter", adminEmail);
            expect.put("email", email);
            expect.put("orgRole", "a collaborator");
            expect.put("projects", List.of(List.of("Web storefront", "analyst")));
            expect.put("engagement", "Q4 funnel analysis");
            expect.put("accessEnds", HUMAN.format(accessEndsAt));
            expect.put("loginUrl", "https://analytics.acme.example/login");
            return expect;
        }
    }
}
