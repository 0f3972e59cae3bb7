package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 9, authorization matrix: every HttpApi route of template.yaml against every kind of caller,
 * over HTTP through the local gateway (its JWT authorizer included). {@link #MATRIX} is the expected
 * status of each (route, caller); each route is one dynamic test. Besides the status:
 * <ul>
 *   <li>no refused answer holds data of either org (names, slugs, emails, ids, key prefixes, note
 *       text) beyond what the request itself carried, and each refusal is the gateway's own 401 or
 *       problem+json whose {@code status} is the HTTP status;</li>
 *   <li>a caller who is not an active member of the target org sees none of its data in any answer
 *       (GET /me, POST /orgs), apart from the public accept and check-in routes, where the token is the proof;</li>
 *   <li>a refused call changed nothing: the one allowed call comes last and would fail (409, 412,
 *       429) had a refused one acted, and destructive routes are probed before it;</li>
 *   <li>an outsider cannot tell org A exists: each /orgs/{orgId} answer to the other org's admin is
 *       the same for org A as for an org id that does not exist;</li>
 *   <li>a revoked key and a key of another project get one uniform 401 on the /api routes.</li>
 * </ul>
 * Expired JWTs are minted with a lifetime in the past: the gateway checks {@code exp} on real time.
 */
class AuthorizationMatrixEndToEndTest {
    /**
     * Callers. ADM admin of org A; MGR, ANA, VIE members of A with one project role each; OTH admin
     * of org B; REM a removed member of A; END a member of A whose accessEndsAt has passed (the
     * sweep has not run); UNV the admin's email with email_verified false; EXP the admin's JWT,
     * expired; NON no Authorization header; KSO an API key of another project of A; KOO an API key
     * of a project of org B; KRV a revoked key of the target project; KEY a valid key of the target
     * project.
     */
    enum Who { ADM, MGR, ANA, VIE, OTH, REM, END, UNV, EXP, NON, KSO, KOO, KRV, KEY }

    /** Expected status per route (rows: every HttpApi route of template.yaml) and caller (columns). */
    private static final String MATRIX = """
            route                                                         ADM MGR ANA VIE OTH REM END UNV EXP NON KSO KOO KRV KEY
            POST /orgs                                                    201 201 201 201 201 201 201 401 401 401 401 401 401 401
            GET /orgs/{orgId}                                             200 403 403 403 404 404 404 404 401 401 401 401 401 401
            PATCH /orgs/{orgId}                                           200 403 403 403 404 404 404 404 401 401 401 401 401 401
            POST /orgs/{orgId}/projects                                   201 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/projects                                    200 403 403 403 404 404 404 404 401 401 401 401 401 401
            PATCH /orgs/{orgId}/projects/{projectId}                      200 403 403 403 404 404 404 404 401 401 401 401 401 401
            POST /orgs/{orgId}/projects/{projectId}/api-keys              201 403 403 403 404 404 404 404 401 401 401 401 401 401
            DELETE /orgs/{orgId}/projects/{projectId}/api-keys/{keyId}    204 403 403 403 404 404 404 404 401 401 401 401 401 401
            POST /orgs/{orgId}/invitations                                201 403 403 403 404 404 404 404 401 401 401 401 401 401
            POST /orgs/{orgId}/invitations/batch                          207 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/invitations                                 200 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/invitations/{invitationId}                  200 403 403 403 404 404 404 404 401 401 401 401 401 401
            POST /orgs/{orgId}/invitations/{invitationId}/resend          200 403 403 403 404 404 404 404 401 401 401 401 401 401
            PATCH /orgs/{orgId}/invitations/{invitationId}                200 403 403 403 404 404 404 404 401 401 401 401 401 401
            DELETE /orgs/{orgId}/invitations/{invitationId}               204 403 403 403 404 404 404 404 401 401 401 401 401 401
            POST /orgs/{orgId}/reviews                                    409 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/reviews                                     200 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/reviews/{reviewId}                          200 403 403 403 404 404 404 404 401 401 401 401 401 401
            POST /orgs/{orgId}/reviews/{reviewId}/items/{memberId}        200 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/reviews/{reviewId}/evidence                 200 403 403 403 404 404 404 404 401 401 401 401 401 401
            POST /orgs/{orgId}/invitation-requests                        201 201 201 201 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/invitation-requests                         200 200 200 200 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/invitation-requests/{requestId}             200 200 404 404 404 404 404 404 401 401 401 401 401 401
            POST /orgs/{orgId}/invitation-requests/{requestId}/approve    200 403 403 403 404 404 404 404 401 401 401 401 401 401
            POST /orgs/{orgId}/invitation-requests/{requestId}/deny       200 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /invitations/accept                                       200 200 200 200 200 200 200 200 200 200 200 200 200 200
            POST /invitations/accept                                      200 200 200 200 200 200 200 200 200 200 200 200 200 200
            GET /checkins/answer                                          200 200 200 200 200 200 200 200 200 200 200 200 200 200
            POST /checkins/answer                                         200 200 200 200 200 200 200 200 200 200 200 200 200 200
            GET /me                                                       200 200 200 200 200 200 200 401 401 401 401 401 401 401
            GET /console-config                                           200 200 200 200 200 200 200 200 200 200 200 200 200 200
            GET /orgs/{orgId}/members                                     200 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/members/duplicates                          200 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/members/{memberId}                          200 403 403 403 404 404 404 404 401 401 401 401 401 401
            PATCH /orgs/{orgId}/members/{memberId}                        200 403 403 403 404 404 404 404 401 401 401 401 401 401
            DELETE /orgs/{orgId}/members/{memberId}                       204 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/audit                                       200 403 403 403 404 404 404 404 401 401 401 401 401 401
            GET /orgs/{orgId}/audit/verify                                200 403 403 403 404 404 404 404 401 401 401 401 401 401
            POST /api/v1/identify                                         401 401 401 401 401 401 401 401 401 401 401 401 401 200
            POST /api/add_user_properties                                 401 401 401 401 401 401 401 401 401 401 401 401 401 200
            GET /api/v1/identity                                          401 401 401 401 401 401 401 401 401 401 401 401 401 200
            GET /api/v1/users                                             401 401 401 401 401 401 401 401 401 401 401 401 401 200
            DELETE /api/v1/users                                          401 401 401 401 401 401 401 401 401 401 401 401 401 204
            """;

    /** The gateway's throttle answer (not the app's rate_limited problem): wait a second and retry. */
    private static final String THROTTLED = "Too Many Requests";
    private static final java.util.regex.Pattern ACCEPT_LINK =
            java.util.regex.Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_-]{43})");

    private static LocalStack stack;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Map<Who, String[]> CREDENTIALS = new EnumMap<>(Who.class);
    private static final Map<Who, String> EMAILS = new EnumMap<>(Who.class);
    /** One accept token per caller, so each POST /invitations/accept has its own invitation. */
    private static final Map<Who, String> ACCEPT_TOKENS = new EnumMap<>(Who.class);
    /** One check-in link ("Still needed") per caller, so each POST /checkins/answer has its own check-in. */
    private static final Map<Who, String> CHECKIN_TOKENS = new EnumMap<>(Who.class);
    /** Names, emails, ids and texts of orgs A and B that a refused answer must not hold. */
    private static final Set<String> MARKERS_A = new LinkedHashSet<>();
    private static final Set<String> MARKERS_B = new LinkedHashSet<>();

    private static String orgA;
    private static String ghostOrg;
    private static String projectA;
    private static String projectA2;
    private static String renamableProject;
    private static long renamableVersion;
    private static long orgVersion;
    private static String doomedKeyId;
    private static String doomedKeySecret;
    private static String viewerMemberId;
    private static String patchMemberId;
    private static String leaverMemberId;
    private static String pendingInvitationId;
    /** The review of A opened at the end of setup (so the ADM's POST of another is 409: one open at a time). */
    private static String reviewId;
    /** Invitation requests of A, made by MGR: one to read, one to approve, one to deny. */
    private static String readRequestId;
    private static String approveRequestId;
    private static String denyRequestId;
    private static String pageToken;
    private static String checkinPageToken;
    private static String resendInvitationId;
    private static String revokeInvitationId;
    /** A pending invitation of A whose address ADM corrects, and its version for If-Match. */
    private static String correctInvitationId;
    private static Object correctVersion;
    private static final String INVITE_EMAIL = "matrix-invitee-" + RUN + "@alder-partner.example";
    private static final String REQUEST_EMAIL = "matrix-requested-" + RUN + "@alder-partner.example";
    private static final String BATCH_EMAIL = "matrix-batch-" + RUN + "@alder-partner.example";
    private static final String IDENTITY = "matrix-identity-" + RUN;
    private static final long USER_ID = 4_700_000 + ThreadLocalRandom.current().nextInt(100_000);

    private static int cases;
    private static int refusalsChecked;
    private static int outsiderAnswersChecked;
    private static int existenceChecks;
    private static int throttleRetries;
    private static int acceptCalls;
    private static long startedNanos;

    record Request(String method, String url, String body, List<String> headers) {
        Request withCredentials(String[] credentials) {
            List<String> all = new ArrayList<>(headers);
            all.addAll(Arrays.asList(credentials));
            return new Request(method, url, body, all);
        }

        /** Everything the caller sent, to tell echoed values from leaked ones. */
        String sent() {
            return (url + " " + Objects.toString(body, "")).toLowerCase(Locale.ROOT);
        }
    }

    @BeforeAll
    static void seedTwoOrgs() {
        startedNanos = System.nanoTime();
        stack = SharedStack.get();
        String adminEmail = "matrix-admin-" + RUN + "@alder-" + RUN + ".example";
        EMAILS.put(Who.ADM, adminEmail);
        CREDENTIALS.put(Who.ADM, jwt(adminEmail, true, Duration.ofHours(2)));
        CREDENTIALS.put(Who.UNV, jwt(adminEmail, false, Duration.ofHours(2)));
        CREDENTIALS.put(Who.EXP, jwt(adminEmail, true, Duration.ofMinutes(-5)));
        CREDENTIALS.put(Who.NON, new String[0]);
        String[] admin = CREDENTIALS.get(Who.ADM);

        // Org B, the other org, with distinctive markers everywhere.
        String ownerB = "zeta-owner-" + RUN + "@zeta-" + RUN + ".example";
        EMAILS.put(Who.OTH, ownerB);
        CREDENTIALS.put(Who.OTH, jwt(ownerB, true, Duration.ofHours(2)));
        Map<String, Object> orgB = created(post("/orgs", "{\"name\":\"Zeta Quarry Holdings " + RUN + "\"}", CREDENTIALS.get(Who.OTH)));
        String orgBId = (String) orgB.get("id");
        MARKERS_B.addAll(List.of(orgBId, (String) orgB.get("name"), (String) orgB.get("slug"), ownerB));
        Map<String, Object> projectB = created(post("/orgs/" + orgBId + "/projects",
                "{\"name\":\"Zeta Secret Funnel " + RUN + "\"}", CREDENTIALS.get(Who.OTH)));
        MARKERS_B.addAll(List.of((String) projectB.get("id"), (String) projectB.get("name")));
        Map<String, Object> keyB = created(post("/orgs/" + orgBId + "/projects/" + projectB.get("id") + "/api-keys",
                "{\"name\":\"zeta-server-" + RUN + "\"}", CREDENTIALS.get(Who.OTH)));
        CREDENTIALS.put(Who.KOO, bearer((String) keyB.get("secret")));
        MARKERS_B.addAll(List.of((String) keyB.get("id"), (String) keyB.get("prefix"), (String) keyB.get("name")));
        String zetaGuest = "zeta-guest-" + RUN + "@zeta-partner.example";
        Map<String, Object> invitationB = created(post("/orgs/" + orgBId + "/invitations", "{\"email\":\"" + zetaGuest
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectB.get("id") + "\",\"role\":\"analyst\"}],"
                + "\"note\":{\"engagement\":\"Zeta engagement " + RUN + "\",\"justification\":\"Zeta reasons " + RUN + "\"}}",
                CREDENTIALS.get(Who.OTH)));
        MARKERS_B.addAll(List.of((String) invitationB.get("id"), zetaGuest, "Zeta engagement " + RUN, "Zeta reasons " + RUN));

        // Org A, the target of every route.
        Map<String, Object> org = created(post("/orgs", "{\"name\":\"Alder Matrix Analytics " + RUN
                + "\",\"settings\":{\"invitationRequests\":\"members\"}}", admin));
        orgA = (String) org.get("id");
        ghostOrg = orgA.substring(0, orgA.length() - 6) + (orgA.endsWith("ZZZZZZ") ? "YYYYYY" : "ZZZZZZ");
        MARKERS_A.addAll(List.of(orgA, (String) org.get("name"), (String) org.get("slug"), adminEmail));
        projectA = project("Alder Web Storefront " + RUN);
        projectA2 = project("Alder iOS App " + RUN);
        renamableProject = project("Alder Renamable " + RUN);
        renamableVersion = 1;
        orgVersion = ((Number) created(get("/orgs/" + orgA, admin)).get("version")).longValue();
        CREDENTIALS.put(Who.KEY, bearer(apiKey(projectA, "alder-server")[1]));
        CREDENTIALS.put(Who.KSO, bearer(apiKey(projectA2, "alder-ios")[1]));
        String[] revoked = apiKey(projectA, "alder-revoked");
        assertThat(send("DELETE", "/orgs/" + orgA + "/projects/" + projectA + "/api-keys/" + revoked[0], null, admin).status())
                .isEqualTo(204);
        CREDENTIALS.put(Who.KRV, bearer(revoked[1]));
        String[] doomed = apiKey(projectA, "alder-doomed");
        doomedKeyId = doomed[0];
        doomedKeySecret = doomed[1];

        // Members of A: one per project role, one to remove, one whose access ends, and targets.
        join(Who.MGR, "manager", null);
        join(Who.ANA, "analyst", null);
        viewerMemberId = join(Who.VIE, "viewer", null);
        String removedId = join(Who.REM, "analyst", null);
        assertThat(send("DELETE", "/orgs/" + orgA + "/members/" + removedId + "?reason=matrix", null, admin).status()).isEqualTo(204);
        join(Who.END, "analyst", stack.clock().instant().plus(Duration.ofHours(1)));
        patchMemberId = joinAddress("matrix-patchee-" + RUN + "@alder-partner.example", "viewer", null);
        leaverMemberId = joinAddress("matrix-leaver-" + RUN + "@alder-partner.example", "viewer", null);

        readRequestId = fileRequest("matrix-request-read-" + RUN + "@alder-partner.example");
        approveRequestId = fileRequest("matrix-request-approve-" + RUN + "@alder-partner.example");
        denyRequestId = fileRequest("matrix-request-deny-" + RUN + "@alder-partner.example");

        // Pending invitations of A: one to read and preview, one to resend, one to revoke, one to
        // accept per caller.
        String pageEmail = "matrix-pending-" + RUN + "@alder-partner.example";
        pendingInvitationId = invite(pageEmail);
        pageToken = Invitations.tokenFromEmail(stack, pageEmail);
        resendInvitationId = invite("matrix-resend-" + RUN + "@alder-partner.example");
        revokeInvitationId = invite("matrix-revoke-" + RUN + "@alder-partner.example");
        correctInvitationId = invite("matrix-correct-" + RUN + "@alder-partnr.example");
        correctVersion = TestHttp.get(stack.baseUrl() + "/orgs/" + orgA + "/invitations/" + correctInvitationId, admin).json().get("version");
        Map<Who, String> acceptEmails = new EnumMap<>(Who.class);
        for (Who who : Who.values()) {
            acceptEmails.put(who, "matrix-accept-" + who.name().toLowerCase(Locale.ROOT) + "-" + RUN + "@alder-partner.example");
            invite(acceptEmails.get(who));
        }
        // One read of the mailbox for all of them (each invite answered after SES took its email).
        List<Map<String, Object>> mailbox = SesMailbox.emails(stack.sesUrl());
        acceptEmails.forEach((who, email) -> ACCEPT_TOKENS.put(who, newestToken(mailbox, email)));
        MARKERS_A.addAll(List.of(INVITE_EMAIL, BATCH_EMAIL, IDENTITY));

        // Check-ins of A: one member per caller (and one to show), whose check-ins come 30 days after
        // acceptance; the clock goes there for one reminders run, and back.
        Map<Who, String> checkinEmails = new EnumMap<>(Who.class);
        for (Who who : Who.values()) {
            checkinEmails.put(who, "matrix-checkin-" + who.name().toLowerCase(Locale.ROOT) + "-" + RUN + "@alder-partner.example");
            joinAddress(checkinEmails.get(who), "viewer", null);
        }
        String checkinPageEmail = "matrix-checkin-page-" + RUN + "@alder-partner.example";
        joinAddress(checkinPageEmail, "viewer", null);
        java.time.Instant before = stack.clock().instant();
        stack.clock().advance(Duration.ofDays(30).plusHours(1));
        assertThat(call(json("POST", "/_local/schedules/RemindersSchedule", null)).status()).isEqualTo(200);
        stack.clock().set(before);
        List<Map<String, Object>> checkins = SesMailbox.emailsTo(stack.sesUrl(), adminEmail);
        checkinEmails.forEach((who, email) -> CHECKIN_TOKENS.put(who, checkinToken(checkins, email)));
        checkinPageToken = checkinToken(checkins, checkinPageEmail);

        // The 30 days may have crossed a quarter's start, whose review is then the open one.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> open = ((List<Map<String, Object>>) get("/orgs/" + orgA + "/reviews", admin).json().get("items"))
                .stream().filter(r -> "open".equals(r.get("status"))).toList();
        reviewId = open.isEmpty() ? (String) created(post("/orgs/" + orgA + "/reviews", "{}", admin)).get("id") : (String) open.get(0).get("id");
        MARKERS_A.add(reviewId);

        // The END member's access ends; the sweep is not run (access ends at that moment).
        stack.clock().advance(Duration.ofHours(2));
    }

    @AfterAll
    static void printFigures() {
        System.out.printf(Locale.ROOT, "authorization matrix: %d cases (%d routes x %d callers), %d refused answers checked for"
                        + " either org's data, %d outsider answers checked for org A's data, %d existence checks,"
                        + " %d throttle retries, %.1f s%n",
                cases, expectations().size(), Who.values().length, refusalsChecked, outsiderAnswersChecked, existenceChecks,
                throttleRetries, (System.nanoTime() - startedNanos) / 1e9);
    }

    @TestFactory
    Stream<DynamicTest> everyRouteAgainstEveryCaller() {
        Map<String, Map<Who, Integer>> expected = expectations();
        Set<String> templateRoutes = new LinkedHashSet<>();
        stack.template().routes().forEach(route -> templateRoutes.add(route.routeKey()));
        assertThat(expected.keySet()).as("the matrix has one row per HttpApi route of template.yaml")
                .containsExactlyInAnyOrderElementsOf(templateRoutes);
        return expected.entrySet().stream().map(row -> DynamicTest.dynamicTest(row.getKey(), () -> checkRoute(row.getKey(), row.getValue())));
    }

    /** Runs one row: refused callers first, the allowed ones last, collecting every mismatch. */
    private static void checkRoute(String route, Map<Who, Integer> expected) {
        List<String> problems = new ArrayList<>();
        List<Who> order = new ArrayList<>(List.of(Who.values()));
        order.sort((a, b) -> Boolean.compare(expected.get(a) < 300, expected.get(b) < 300));
        Map<Who, TestHttp.Response> answers = new EnumMap<>(Who.class);
        boolean probed = false;
        for (Who who : order) {
            if (!probed && expected.get(who) < 300) {
                probed = true;
                problems.addAll(probeUnchanged(route));
            }
            Request request = request(route, who).withCredentials(CREDENTIALS.get(who));
            TestHttp.Response answer = call(request);
            answers.put(who, answer);
            cases++;
            if (answer.status() != expected.get(who)) {
                problems.add(who + ": expected " + expected.get(who) + ", got " + answer.status() + " " + answer.body());
            }
            if (answer.status() >= 400) {
                refusalsChecked++;
                problems.addAll(leaks(who, request, answer, union(MARKERS_A, MARKERS_B)));
                problems.addAll(refusalShape(who, answer));
            } else if (!route.contains("/invitations/accept") && !route.contains("/checkins/answer") && outsiderOfA(who)) {
                outsiderAnswersChecked++;
                Set<String> visible = new LinkedHashSet<>(MARKERS_A);
                visible.remove(EMAILS.get(who)); // their own address
                problems.addAll(leaks(who, request, answer, visible));
                if (answer.body().contains(orgA)) {
                    problems.add(who + ": the answer names org A, which they are no member of");
                }
            }
            if (answer.status() < 300) {
                problems.addAll(checkAllowedAnswer(route, who, answer));
            }
        }
        if (route.startsWith("GET /orgs/{orgId}") || route.startsWith("PATCH /orgs/{orgId}") || route.startsWith("POST /orgs/{orgId}")
                || route.startsWith("DELETE /orgs/{orgId}")) {
            problems.addAll(sameAnswerForAGhostOrg(route, answers.get(Who.OTH)));
        }
        if (route.contains("/api/")) {
            problems.addAll(uniformKeyRefusal(answers));
        }
        assertThat(problems).as(route).isEmpty();
    }

    // ------------------------------------------------------------------ requests per route

    private static Request request(String route, Who who) {
        String org = "/orgs/" + orgA;
        String projectJson = "[{\"projectId\":\"" + projectA + "\",\"role\":\"viewer\"}]";
        return switch (route) {
            case "POST /orgs" -> json("POST", "/orgs", "{\"name\":\"Made by " + who + " " + RUN + "\"}");
            case "GET /orgs/{orgId}" -> json("GET", org, null);
            case "PATCH /orgs/{orgId}" -> json("PATCH", org, "{\"settings\":{\"invitesPerDay\":60}}", "If-Match", "\"" + orgVersion + "\"");
            case "POST /orgs/{orgId}/projects" -> json("POST", org + "/projects", "{\"name\":\"Alder Extra " + RUN + "\"}");
            case "GET /orgs/{orgId}/projects" -> json("GET", org + "/projects", null);
            case "PATCH /orgs/{orgId}/projects/{projectId}" -> json("PATCH", org + "/projects/" + renamableProject,
                    "{\"archived\":true}", "If-Match", "\"" + renamableVersion + "\"");
            case "POST /orgs/{orgId}/projects/{projectId}/api-keys" -> json("POST", org + "/projects/" + projectA + "/api-keys",
                    "{\"name\":\"alder-new\"}");
            case "DELETE /orgs/{orgId}/projects/{projectId}/api-keys/{keyId}" -> json("DELETE",
                    org + "/projects/" + projectA + "/api-keys/" + doomedKeyId, null);
            case "POST /orgs/{orgId}/invitations" -> json("POST", org + "/invitations", "{\"email\":\"" + INVITE_EMAIL
                    + "\",\"orgRole\":\"member\",\"projects\":" + projectJson + "}");
            case "POST /orgs/{orgId}/invitations/batch" -> json("POST", org + "/invitations/batch", "{\"invitations\":[{\"email\":\""
                    + BATCH_EMAIL + "\",\"orgRole\":\"member\",\"projects\":" + projectJson + "}]}");
            case "GET /orgs/{orgId}/invitations" -> json("GET", org + "/invitations?status=all", null);
            case "GET /orgs/{orgId}/invitations/{invitationId}" -> json("GET", org + "/invitations/" + pendingInvitationId, null);
            case "POST /orgs/{orgId}/invitations/{invitationId}/resend" -> json("POST", org + "/invitations/" + resendInvitationId
                    + "/resend", null);
            case "DELETE /orgs/{orgId}/invitations/{invitationId}" -> json("DELETE", org + "/invitations/" + revokeInvitationId, null);
            case "PATCH /orgs/{orgId}/invitations/{invitationId}" -> json("PATCH", org + "/invitations/" + correctInvitationId,
                    "{\"email\":\"matrix-correct-" + RUN + "@alder-partner.example\",\"justification\":\"matrix\"}",
                    "If-Match", "\"" + correctVersion + "\"");
            case "POST /orgs/{orgId}/reviews" -> json("POST", org + "/reviews", "{\"endsInDays\":15}");
            case "GET /orgs/{orgId}/reviews" -> json("GET", org + "/reviews", null);
            case "GET /orgs/{orgId}/reviews/{reviewId}" -> json("GET", org + "/reviews/" + reviewId, null);
            case "POST /orgs/{orgId}/reviews/{reviewId}/items/{memberId}" -> json("POST", org + "/reviews/" + reviewId + "/items/"
                    + viewerMemberId, "{\"decision\":\"keep\",\"note\":\"matrix\"}");
            case "GET /orgs/{orgId}/reviews/{reviewId}/evidence" -> json("GET", org + "/reviews/" + reviewId + "/evidence", null);
            case "POST /orgs/{orgId}/invitation-requests" -> json("POST", org + "/invitation-requests", "{\"reason\":\"matrix\","
                    + "\"invitation\":{\"email\":\"" + REQUEST_EMAIL + "\",\"orgRole\":\"member\",\"projects\":" + projectJson + "}}");
            case "GET /orgs/{orgId}/invitation-requests" -> json("GET", org + "/invitation-requests", null);
            case "GET /orgs/{orgId}/invitation-requests/{requestId}" -> json("GET", org + "/invitation-requests/" + readRequestId, null);
            case "POST /orgs/{orgId}/invitation-requests/{requestId}/approve" -> json("POST", org + "/invitation-requests/"
                    + approveRequestId + "/approve", "{\"approvalReference\":\"matrix\"}");
            case "POST /orgs/{orgId}/invitation-requests/{requestId}/deny" -> json("POST", org + "/invitation-requests/"
                    + denyRequestId + "/deny", "{\"reason\":\"matrix\"}");
            case "GET /invitations/accept" -> json("GET", "/invitations/accept?token=" + pageToken, null);
            case "POST /invitations/accept" -> json("POST", "/invitations/accept", "{\"token\":\"" + ACCEPT_TOKENS.get(who) + "\"}");
            case "GET /checkins/answer" -> json("GET", "/checkins/answer?token=" + checkinPageToken, null);
            case "POST /checkins/answer" -> json("POST", "/checkins/answer", "{\"token\":\"" + CHECKIN_TOKENS.get(who) + "\"}");
            case "GET /me" -> json("GET", "/me", null);
            case "GET /console-config" -> json("GET", "/console-config", null);
            case "GET /orgs/{orgId}/members" -> json("GET", org + "/members", null);
            case "GET /orgs/{orgId}/members/duplicates" -> json("GET", org + "/members/duplicates", null);
            case "GET /orgs/{orgId}/members/{memberId}" -> json("GET", org + "/members/" + viewerMemberId, null);
            case "PATCH /orgs/{orgId}/members/{memberId}" -> json("PATCH", org + "/members/" + patchMemberId,
                    "{\"projects\":{\"" + projectA + "\":\"analyst\"},\"justification\":\"matrix\"}", "If-Match", "\"1\"");
            case "DELETE /orgs/{orgId}/members/{memberId}" -> json("DELETE", org + "/members/" + leaverMemberId + "?reason=matrix", null);
            case "GET /orgs/{orgId}/audit" -> json("GET", org + "/audit", null);
            case "GET /orgs/{orgId}/audit/verify" -> json("GET", org + "/audit/verify", null);
            case "POST /api/v1/identify" -> json("POST", "/api/v1/identify", "{\"app_id\":\"" + projectA + "\",\"identity\":\""
                    + IDENTITY + "\",\"user_id\":" + USER_ID + "}");
            case "POST /api/add_user_properties" -> json("POST", "/api/add_user_properties", "{\"app_id\":\"" + projectA
                    + "\",\"identity\":\"" + IDENTITY + "\",\"properties\":{\"plan\":\"pro\"}}");
            case "GET /api/v1/identity" -> json("GET", "/api/v1/identity?app_id=" + projectA + "&user_id=" + USER_ID, null);
            case "GET /api/v1/users" -> json("GET", "/api/v1/users?app_id=" + projectA + "&identity=" + IDENTITY, null);
            case "DELETE /api/v1/users" -> json("DELETE", "/api/v1/users?app_id=" + projectA + "&identity=" + IDENTITY, null);
            default -> throw new AssertionError("No request for " + route + ": add one when a route is added to template.yaml");
        };
    }

    /**
     * Before the one allowed call of a route that destroys or spends something, shows the refused
     * calls left it as it was (routes whose allowed call would fail otherwise need no probe).
     */
    private static List<String> probeUnchanged(String route) {
        String[] admin = CREDENTIALS.get(Who.ADM);
        List<String> problems = new ArrayList<>();
        switch (route) {
            case "DELETE /orgs/{orgId}/projects/{projectId}/api-keys/{keyId}" -> {
                TestHttp.Response identify = call(json("POST", "/api/v1/identify", "{\"app_id\":\"" + projectA
                        + "\",\"identity\":\"probe-" + RUN + "\",\"user_id\":" + (USER_ID + 1) + "}").withCredentials(bearer(doomedKeySecret)));
                if (identify.status() != 200) {
                    problems.add("the key to revoke no longer works before its admin revoked it: " + identify.status());
                }
            }
            case "DELETE /orgs/{orgId}/invitations/{invitationId}" -> expectField(problems, "/orgs/" + orgA + "/invitations/"
                    + revokeInvitationId, "status", "pending");
            case "DELETE /orgs/{orgId}/members/{memberId}" -> expectField(problems, "/orgs/" + orgA + "/members/" + leaverMemberId,
                    "status", "active");
            case "DELETE /api/v1/users" -> {
                TestHttp.Response user = call(json("GET", "/api/v1/users?app_id=" + projectA + "&identity=" + IDENTITY, null)
                        .withCredentials(CREDENTIALS.get(Who.KEY)));
                if (user.status() != 200) {
                    problems.add("the identity was gone before its key erased it: " + user.status());
                }
            }
            case "POST /orgs/{orgId}/invitations/batch", "POST /orgs/{orgId}/invitations" -> {
                String email = route.endsWith("batch") ? BATCH_EMAIL : INVITE_EMAIL;
                TestHttp.Response list = call(json("GET", "/orgs/" + orgA + "/invitations?status=all&limit=100", null).withCredentials(admin));
                if (list.status() != 200 || list.body().contains(email)) {
                    problems.add("an invitation of " + email + " exists before the admin made it: " + list.status());
                }
            }
            default -> {
            }
        }
        return problems;
    }

    private static void expectField(List<String> problems, String path, String field, String value) {
        TestHttp.Response read = call(json("GET", path, null).withCredentials(CREDENTIALS.get(Who.ADM)));
        if (read.status() != 200 || !value.equals(read.json().get(field))) {
            problems.add(path + " should still be " + field + "=" + value + " before the allowed call: " + read.body());
        }
    }

    /** What an allowed answer must show beyond its status. */
    @SuppressWarnings("unchecked")
    private static List<String> checkAllowedAnswer(String route, Who who, TestHttp.Response answer) {
        List<String> problems = new ArrayList<>();
        switch (route) {
            case "POST /orgs/{orgId}/invitations/batch" -> {
                Object status = ((List<Map<String, Object>>) answer.json().get("results")).get(0).get("status");
                if (!Integer.valueOf(201).equals(status)) {
                    problems.add(who + ": the batch's invitation answered " + status + ", not 201: " + answer.body());
                }
            }
            case "GET /console-config" -> {
                // Public and the same for every caller: the local stack's sign-in, whoever asks.
                if (!answer.body().equals("{\"signIn\":{\"type\":\"local\"}}")) {
                    problems.add(who + ": GET /console-config answered " + answer.body());
                }
            }
            case "GET /me" -> {
                boolean listsA = answer.body().contains(orgA);
                boolean activeInA = who == Who.ADM || who == Who.MGR || who == Who.ANA || who == Who.VIE;
                if (listsA != activeInA) {
                    problems.add(who + ": GET /me " + (listsA ? "lists" : "does not list") + " org A: " + answer.body());
                }
            }
            default -> {
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------ checks

    private static boolean outsiderOfA(Who who) {
        // KEY is the target project's own key: its identify answers are its project's data.
        return who != Who.ADM && who != Who.MGR && who != Who.ANA && who != Who.VIE && who != Who.KEY;
    }

    /** Markers found in the answer that the request did not carry itself. */
    private static List<String> leaks(Who who, Request request, TestHttp.Response answer, Set<String> markers) {
        String body = answer.body().toLowerCase(Locale.ROOT);
        String sent = request.sent();
        List<String> problems = new ArrayList<>();
        for (String marker : markers) {
            String m = marker.toLowerCase(Locale.ROOT);
            if (body.contains(m) && !sent.contains(m)) {
                problems.add(who + ": the " + answer.status() + " answer holds '" + marker + "': " + answer.body());
            }
        }
        return problems;
    }

    /** A refusal is the gateway's bare 401 or problem+json carrying the same status. */
    private static List<String> refusalShape(Who who, TestHttp.Response answer) {
        String type = String.valueOf(answer.header("content-type"));
        if (answer.status() == 401 && answer.body().contains("\"Unauthorized\"") && !type.contains("problem")) {
            return List.of();
        }
        if (!type.startsWith("application/problem+json")) {
            return List.of(who + ": a " + answer.status() + " refusal that is not problem+json: " + type + " " + answer.body());
        }
        Object status = answer.json().get("status");
        return Integer.valueOf(answer.status()).equals(status) ? List.of()
                : List.of(who + ": problem status " + status + " differs from the HTTP status " + answer.status());
    }

    /**
     * An outsider's answer about org A equals its answer about an org that does not exist, so it
     * cannot learn that A (or its projects, members, invitations) exists.
     */
    private static List<String> sameAnswerForAGhostOrg(String route, TestHttp.Response aboutA) {
        Request ghost = request(route, Who.OTH);
        ghost = new Request(ghost.method(), ghost.url().replace(orgA, ghostOrg), ghost.body(), ghost.headers())
                .withCredentials(CREDENTIALS.get(Who.OTH));
        TestHttp.Response aboutGhost = call(ghost);
        existenceChecks++;
        if (aboutGhost.status() != aboutA.status() || !problemIdentity(aboutGhost).equals(problemIdentity(aboutA))) {
            return List.of("OTH: org A answers " + aboutA.status() + " " + aboutA.body() + " but an org that does not exist "
                    + aboutGhost.status() + " " + aboutGhost.body());
        }
        return List.of();
    }

    /** A revoked key and keys of other projects answer one and the same 401 on the /api routes. */
    private static List<String> uniformKeyRefusal(Map<Who, TestHttp.Response> answers) {
        Map<String, Who> seen = new LinkedHashMap<>();
        for (Who who : List.of(Who.KRV, Who.KSO, Who.KOO)) {
            seen.putIfAbsent(answers.get(who).status() + " " + problemIdentity(answers.get(who)), who);
        }
        return seen.size() == 1 ? List.of()
                : List.of("a revoked key and keys of other projects can be told apart: " + seen.keySet());
    }

    /** A problem's code, title and detail: what tells one refusal from another (not the request id). */
    private static String problemIdentity(TestHttp.Response answer) {
        if (answer.body().isBlank() || !answer.body().trim().startsWith("{")) {
            return answer.body();
        }
        Map<String, Object> problem = answer.json();
        return problem.get("code") + "|" + problem.get("title") + "|" + problem.get("detail") + "|" + problem.get("message");
    }

    // ------------------------------------------------------------------ HTTP

    /**
     * Sends a request; the gateway's own 429 (its route throttle, not the app's rate_limited)
     * means the route's bucket is empty: the clock moves one second and the request is retried,
     * counted. Accept calls are paced ahead of that, a second per ten.
     */
    private static TestHttp.Response call(Request request) {
        if (request.url().contains("/invitations/accept") && ++acceptCalls % 10 == 0) {
            stack.clock().advance(Duration.ofSeconds(1));
        }
        for (int attempt = 1; ; attempt++) {
            TestHttp.Response response = TestHttp.send(request.method(), stack.baseUrl() + request.url(), request.body(),
                    request.headers().toArray(String[]::new));
            boolean throttled = response.status() == 429 && !String.valueOf(response.header("content-type")).contains("problem")
                    && response.body().contains(THROTTLED);
            if (!throttled || attempt >= 20) {
                return response;
            }
            throttleRetries++;
            stack.clock().advance(Duration.ofSeconds(1));
        }
    }

    private static Request json(String method, String path, String body, String... headers) {
        return new Request(method, path, body, List.of(headers));
    }

    private static TestHttp.Response post(String path, String body, String[] credentials) {
        return call(json("POST", path, body).withCredentials(credentials));
    }

    private static TestHttp.Response get(String path, String[] credentials) {
        return call(json("GET", path, null).withCredentials(credentials));
    }

    private static TestHttp.Response send(String method, String path, String body, String[] credentials) {
        return call(json(method, path, body).withCredentials(credentials));
    }

    private static Map<String, Object> created(TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 201);
        return response.json();
    }

    // ------------------------------------------------------------------ setup steps

    private static String[] jwt(String email, boolean verified, Duration lifetime) {
        return bearer(stack.authorizer().token(email, null, verified, lifetime));
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private static String project(String name) {
        Map<String, Object> project = created(post("/orgs/" + orgA + "/projects", "{\"name\":\"" + name + "\"}", CREDENTIALS.get(Who.ADM)));
        MARKERS_A.addAll(List.of((String) project.get("id"), name));
        return (String) project.get("id");
    }

    /** A key of the project: {id, secret}. */
    private static String[] apiKey(String projectId, String name) {
        Map<String, Object> key = created(post("/orgs/" + orgA + "/projects/" + projectId + "/api-keys",
                "{\"name\":\"" + name + "-" + RUN + "\"}", CREDENTIALS.get(Who.ADM)));
        MARKERS_A.addAll(List.of((String) key.get("id"), (String) key.get("prefix"), name + "-" + RUN));
        return new String[] {(String) key.get("id"), (String) key.get("secret")};
    }

    private static String invite(String email) {
        return invite(email, "viewer", null);
    }

    /** An invitation request of A, made by MGR (A takes requests from its members); its id. */
    private static String fileRequest(String email) {
        Map<String, Object> request = created(post("/orgs/" + orgA + "/invitation-requests", "{\"reason\":\"Alder request " + RUN
                + "\",\"invitation\":{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\""
                + projectA + "\",\"role\":\"viewer\"}]}}", CREDENTIALS.get(Who.MGR)));
        MARKERS_A.addAll(List.of((String) request.get("id"), email, "Alder request " + RUN));
        return (String) request.get("id");
    }

    private static String invite(String email, String role, java.time.Instant accessEndsAt) {
        Map<String, Object> invitation = created(post("/orgs/" + orgA + "/invitations", "{\"email\":\"" + email
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectA + "\",\"role\":\"" + role + "\"}],"
                + "\"note\":{\"engagement\":\"Alder engagement " + RUN + "\",\"justification\":\"Alder reasons " + RUN + "\"}"
                + (accessEndsAt == null ? "" : ",\"accessEndsAt\":\"" + accessEndsAt + "\"") + "}", CREDENTIALS.get(Who.ADM)));
        MARKERS_A.addAll(List.of((String) invitation.get("id"), email, "Alder engagement " + RUN, "Alder reasons " + RUN));
        return (String) invitation.get("id");
    }

    /** Invites and accepts a member of A for {@code who}; the member id. */
    private static String join(Who who, String role, java.time.Instant accessEndsAt) {
        String email = "matrix-" + who.name().toLowerCase(Locale.ROOT) + "-" + RUN + "@alder-partner.example";
        EMAILS.put(who, email);
        CREDENTIALS.put(who, jwt(email, true, Duration.ofHours(2)));
        invite(email, role, accessEndsAt);
        return accept(email);
    }

    private static String joinAddress(String email, String role, java.time.Instant accessEndsAt) {
        invite(email, role, accessEndsAt);
        return accept(email);
    }

    private static String accept(String email) {
        Map<String, Object> member = created(call(json("POST", "/invitations/accept",
                "{\"token\":\"" + Invitations.tokenFromEmail(stack, email) + "\"}")));
        MARKERS_A.add((String) member.get("id"));
        return (String) member.get("id");
    }

    /** The "Still needed" link's token of the one check-in email about {@code member}. */
    private static String checkinToken(List<Map<String, Object>> mailbox, String member) {
        return Invitations.checkinTokens(mailbox, member).get("Still needed");
    }

    @SuppressWarnings("unchecked")
    private static String newestToken(List<Map<String, Object>> mailbox, String address) {
        String token = null;
        for (Map<String, Object> email : mailbox) {
            List<Object> to = (List<Object>) ((Map<String, Object>) email.get("destination")).get("to");
            java.util.regex.Matcher link = ACCEPT_LINK.matcher(SesMailbox.text(email));
            if (to.stream().anyMatch(a -> String.valueOf(a).contains(address)) && link.find()) {
                token = link.group(1);
            }
        }
        assertThat(token).as("an invitation email to " + address).isNotNull();
        return token;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** {@link #MATRIX} read into route → caller → status. */
    static Map<String, Map<Who, Integer>> expectations() {
        Map<String, Map<Who, Integer>> rows = new LinkedHashMap<>();
        List<String> lines = MATRIX.lines().filter(l -> !l.isBlank()).toList();
        List<String> header = List.of(lines.get(0).trim().split("\\s+"));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.trim().split("\\s+");
            Map<Who, Integer> row = new EnumMap<>(Who.class);
            for (int i = 2; i < cells.length; i++) {
                row.put(Who.valueOf(header.get(i - 1)), Integer.parseInt(cells[i]));
            }
            if (row.size() != Who.values().length) {
                throw new IllegalStateException("A matrix row needs one status per caller: " + line);
            }
            rows.put(cells[0] + " " + cells[1], row);
        }
        return rows;
    }
}
