package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Time does the work, end to end on the local stack: the clock is moved with {@code /_local/clock}
 * and the schedules are run with {@code /_local/schedules/{LogicalId}}; emails are read from the
 * SES emulator and each must arrive exactly once.
 */
class ScheduledLifecycleEndToEndTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static LocalStack stack;
    private static String adminEmail;
    private static String[] admin;
    private static String orgId;
    private static String projectId;

    @BeforeAll
    static void createOrg() {
        stack = SharedStack.get();
        adminEmail = "sched-admin-" + UUID.randomUUID() + "@acme.example";
        admin = TestHttp.bearer(stack, adminEmail);
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs",
                "{\"name\":\"Timely Analytics\",\"settings\":{\"invitesPerDay\":500}}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        orgId = (String) org.json().get("id");
        projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin).json().get("id");
    }

    @Test
    void aPendingInvitationIsNudgedOnceAt72HoursAndExpiredOnceAfter7Days() {
        String invitee = "pending-" + UUID.randomUUID() + "@partner.example";
        String id = invite(invitee, null, null);

        advance(Duration.ofHours(73));
        runReminders();
        runReminders();
        assertThat(count(invitee, s -> s.startsWith("Reminder: you are invited"))).isEqualTo(1);
        assertThat(count(adminEmail, s -> s.equals(invitee + " has not accepted your invitation to Timely Analytics yet"))).isEqualTo(1);

        advance(Duration.ofDays(4));
        runSweep();
        runSweep();
        assertThat(count(adminEmail, s -> s.equals("Your invitation to " + invitee + " expired"))).isEqualTo(1);
        TestHttp.Response stored = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/invitations/" + id, admin);
        assertThat(stored.json()).containsEntry("status", "expired");
    }

    @Test
    void accessEndingIn20DaysIsWarnedAt14And7DaysAndRemovedOnItsEndDate() {
        String collaborator = "ending-" + UUID.randomUUID() + "@partner.example";
        String stakeholder = "pm-" + UUID.randomUUID() + "@acme.example";
        Instant end = stack.clock().instant().plus(Duration.ofDays(20));
        invite(collaborator, end, stakeholder);
        accept(collaborator);
        String[] member = TestHttp.bearer(stack, collaborator);
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/projects", member).status()).isEqualTo(403);

        advance(Duration.ofDays(6).plusHours(1));
        runReminders();
        runReminders();
        assertThat(count(collaborator, s -> s.startsWith("Your access to Timely Analytics ends on"))).isEqualTo(1);
        assertThat(count(adminEmail, s -> s.equals(collaborator + "'s access to Timely Analytics ends in 7 days"))).isZero();

        advance(Duration.ofDays(7));
        runReminders();
        runReminders();
        assertThat(count(adminEmail, s -> s.equals(collaborator + "'s access to Timely Analytics ends in 7 days"))).isEqualTo(1);
        assertThat(ccOf(adminEmail, collaborator + "'s access to Timely Analytics ends in 7 days")).contains(stakeholder);

        advance(Duration.ofDays(7));
        runSweep();
        runSweep();
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/projects", member).status()).isEqualTo(404);
        assertThat(count(collaborator, s -> s.equals("Your access to Timely Analytics has ended"))).isEqualTo(1);
        assertThat(count(adminEmail, s -> s.equals(collaborator + "'s access to Timely Analytics has ended"))).isEqualTo(1);
        assertThat(ccOf(adminEmail, collaborator + "'s access to Timely Analytics has ended")).contains(stakeholder);
        assertThat(TestHttp.get(stack.baseUrl() + "/me", member).body()).doesNotContain(orgId);
    }

    @Test
    void theInviterGetsACheckIn30DaysAfterAcceptance() {
        String collaborator = "checkin-" + UUID.randomUUID() + "@partner.example";
        invite(collaborator, null, null);
        accept(collaborator);
        TestHttp.get(stack.baseUrl() + "/me", TestHttp.bearer(stack, collaborator));

        advance(Duration.ofDays(30).plusHours(1));
        runReminders();
        runReminders();
        List<Map<String, Object>> checkins = SesMailbox.emailsTo(stack.sesUrl(), adminEmail).stream()
                .filter(e -> String.valueOf(e.get("subject")).equals("30-day check-in: " + collaborator + " in Timely Analytics")).toList();
        assertThat(checkins).hasSize(1);
        assertThat(SesMailbox.text(checkins.get(0))).contains("last activity was on");
    }

    @Test
    void aQuarterBoundarySendsOneDigestPerOrg() {
        String[] owner = TestHttp.bearer(stack, "quarter-" + UUID.randomUUID() + "@acme.example");
        String ownerEmail = TestHttp.get(stack.baseUrl() + "/me", owner).json().get("email").toString();
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Quarterly Co\"}", owner);
        assertThat(org.status()).isEqualTo(201);
        String orgId = (String) org.json().get("id");
        String webId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Quarterly Web\"}", owner)
                .json().get("id");
        String analyst = "quarterly-analyst-" + UUID.randomUUID().toString().substring(0, 8) + "@partner.example";
        TestHttp.Response invited = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + analyst
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + webId + "\",\"role\":\"analyst\"}]}", owner);
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        assertThat(TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + Invitations.tokenFromEmail(stack, analyst) + "\"}")
                .status()).isEqualTo(200);

        LocalDate today = LocalDate.ofInstant(stack.clock().instant(), ZoneOffset.UTC);
        int nextQuarterMonth = ((today.getMonthValue() - 1) / 3 + 1) * 3 + 1;
        LocalDate start = nextQuarterMonth > 12 ? LocalDate.of(today.getYear() + 1, 1, 1) : LocalDate.of(today.getYear(), nextQuarterMonth, 1);
        TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"set\":\"" + start.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600) + "\"}");
        runReminders();
        runReminders();

        List<Map<String, Object>> digests = SesMailbox.emailsTo(stack.sesUrl(), ownerEmail).stream()
                .filter(e -> String.valueOf(e.get("subject")).startsWith("Quarterly Co: access review for")).toList();
        assertThat(digests).hasSize(1);
        // Projects by name, as the console shows them, never by id.
        assertThat(SesMailbox.text(digests.get(0))).contains(ownerEmail).contains("admin")
                .contains(analyst).contains("member · Quarterly Web: analyst").doesNotContain(webId);
    }

    @Test
    void twoSweepsStartedAtOnceOn200DueItemsSendExactly200ExpiryEmails() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        for (int batch = 0; batch < 20; batch++) {
            StringBuilder body = new StringBuilder("{\"invitations\":[");
            for (int i = 0; i < 10; i++) {
                body.append(i == 0 ? "" : ",").append("{\"email\":\"bulk-").append(tag).append('-').append(batch * 10 + i)
                        .append("@partner.example\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"").append(projectId)
                        .append("\",\"role\":\"viewer\"}]}");
            }
            TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations/batch", body + "]}", admin);
            assertThat(response.body()).doesNotContain("\"status\":4");
        }
        advance(Duration.ofDays(8));

        CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(ScheduledLifecycleEndToEndTest::runSweep);
        CompletableFuture<JsonNode> second = CompletableFuture.supplyAsync(ScheduledLifecycleEndToEndTest::runSweep);
        JsonNode a = first.get();
        JsonNode b = second.get();

        List<String> subjects = SesMailbox.emailsTo(stack.sesUrl(), adminEmail).stream().map(e -> String.valueOf(e.get("subject")))
                .filter(s -> s.startsWith("Your invitation to bulk-" + tag + "-")).toList();
        assertThat(subjects).hasSize(200).doesNotHaveDuplicates();
        assertThat(a.path("done").asInt() + b.path("done").asInt()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void withTheSesEmulatorDownNothingIsMarkedDoneAndALaterRunSendsTheRest() {
        List<String> invitees = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            invitees.add("down-" + UUID.randomUUID() + "@partner.example");
            invite(invitees.get(i), null, null);
        }
        advance(Duration.ofDays(8));
        stack.ses().stop();
        JsonNode down;
        try {
            down = runSweep();
        } finally {
            stack.ses().start();
        }
        assertThat(down.path("failed").asInt()).isGreaterThanOrEqualTo(5);
        for (String invitee : invitees) {
            assertThat(count(adminEmail, s -> s.equals("Your invitation to " + invitee + " expired"))).isZero();
        }

        runSweep();
        runSweep();
        for (String invitee : invitees) {
            assertThat(count(adminEmail, s -> s.equals("Your invitation to " + invitee + " expired"))).isEqualTo(1);
        }
    }

    @Test
    void theScheduleSampleEventsRunTheirFunctions() throws Exception {
        for (String[] sample : List.of(new String[] {"expiry-sweep", "ExpirySweepFunction", "sweep"},
                new String[] {"reminders", "RemindersFunction", "remind"})) {
            String event = Files.readString(LocalStack.findProjectRoot().resolve("events/schedules/" + sample[0] + ".json"));
            JsonNode summary = MAPPER.readTree(stack.invoke(sample[1], event));
            assertThat(summary.path("queue").asText()).isEqualTo(sample[2]);
            assertThat(summary.has("found")).isTrue();
        }
    }

    private static String invite(String email, Instant accessEndsAt, String stakeholder) {
        String body = "{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                + "\",\"role\":\"analyst\"}]" + (accessEndsAt == null ? "" : ",\"accessEndsAt\":\"" + accessEndsAt + "\"")
                + (stakeholder == null ? "" : ",\"stakeholders\":[\"" + stakeholder + "\"]") + "}";
        TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", body, admin);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return (String) response.json().get("id");
    }

    private static void accept(String email) {
        String token = Invitations.tokenFromEmail(stack, email);
        TestHttp.Response accepted = TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + token + "\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    }

    private static void advance(Duration by) {
        TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/_local/clock", "{\"advance\":\"" + by + "\"}");
        assertThat(response.status()).isEqualTo(200);
    }

    private static JsonNode runSweep() {
        return run("ExpirySweepSchedule");
    }

    private static JsonNode runReminders() {
        return run("RemindersSchedule");
    }

    private static JsonNode run(String schedule) {
        TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/_local/schedules/" + schedule, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        try {
            return MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(response.body(), e);
        }
    }

    private static long count(String to, Predicate<String> subject) {
        return SesMailbox.emailsTo(stack.sesUrl(), to).stream().map(e -> String.valueOf(e.get("subject"))).filter(subject).count();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ccOf(String to, String subject) {
        return SesMailbox.emailsTo(stack.sesUrl(), to).stream().filter(e -> subject.equals(e.get("subject")))
                .map(e -> (List<Object>) ((Map<String, Object>) e.get("destination")).getOrDefault("cc", List.of()))
                .findFirst().orElse(List.of());
    }
}
