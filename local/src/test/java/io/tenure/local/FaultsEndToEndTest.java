package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Issue 9, "Faults": each fault is injected in the middle of real traffic (invites, accepts and
 * reads from three clients at once) on a stack of its own whose DynamoDB Local keeps its data in a
 * folder, and the schedules are run while it lasts:
 *
 * <ol>
 *   <li>DynamoDB Local stopped, then started again on the same port with its data;
 *   <li>the SES emulator down, then back;
 *   <li>SES throttling, from {@link ThrottlingSesFake} at the HTTP level (429 TooManyRequestsException).
 * </ol>
 *
 * In each case a request that could not be done answers 503 problem+json with Retry-After (never a
 * 500); a request that could be done without the failed part (an invite while SES is down) answers
 * as the design says (201 with the warning {@code email_not_sent}); after recovery the callers'
 * retries (same Idempotency-Key), resends and the next scheduled runs finish everything. Then every
 * item a 2xx answer promised is counted, every invitation and member is checked whole (token,
 * pending guard, due step, audit event; guard and member), every audit event meant for EventBridge
 * must have been published, and every email the scheduled work owed must have arrived once: the
 * number of items lost must be 0. The figures are printed, e.g.
 * {@code faults: 3 injected, 60 requests during faults, 21 answered 503 with Retry-After, 0 items lost}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsEndToEndTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** SPEC §10: the audit actions published on EventBridge. */
    private static final Set<String> PUBLISHED = Set.of("invitation.created", "invitation.resent", "invitation.accepted",
            "invitation.revoked", "invitation.expired", "invitation.delivery_failed", "member.updated", "member.removed",
            "member.access_ending", "member.access_ended", "review.digest_sent");
    /** Calls made while a fault lasts, at least, before it is lifted. */
    private static final int CALLS_PER_FAULT = 12;
    /** Invitations made before each fault that expire during it, so the sweep has work due then. */
    private static final int EXPIRING = 4;

    @TempDir
    static Path folder;
    private static LocalStack stack;
    private static DynamoDbClient dynamo;
    private static final List<Phase> phases = new ArrayList<>();
    private static int faultsInjected;

    @BeforeAll
    static void startAStackOfItsOwn() throws Exception {
        stack = LocalStack.start(LocalStack.Options.defaults().port(0).sesPort(0).schedules(false)
                .dataDir(folder.resolve("dynamodb")));
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(stack.dynamoDbEndpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    }

    @AfterAll
    static void stop() {
        int during = phases.stream().mapToInt(p -> p.duringFault().size()).sum();
        long unavailable = phases.stream().flatMap(p -> p.duringFault().stream()).filter(Call::unavailableWithRetryAfter).count();
        int lost = phases.stream().mapToInt(p -> p.lost).sum();
        System.out.printf("faults: %d injected, %d requests during faults, %d answered 503 with Retry-After, %d items lost%n",
                faultsInjected, during, unavailable, lost);
        if (dynamo != null) {
            dynamo.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void dynamoDbStoppedAndRestartedMidRunLosesNothing() throws Exception {
        Phase phase = new Phase("dynamodb-restart");
        phase.prepare();
        Traffic traffic = phase.startTraffic();
        traffic.awaitSuccesses(6);

        stack.stopDynamoDb();
        faultsInjected++;
        phase.faultStarted();
        traffic.awaitCallsSince(phase.faultStart, CALLS_PER_FAULT);
        // The schedules fire during the outage too: each run fails as a whole (Lambda reports an error).
        for (String schedule : List.of("ExpirySweepSchedule", "RemindersSchedule", "EventsPublisherSchedule")) {
            TestHttp.Response run = TestHttp.post(stack.baseUrl() + "/_local/schedules/" + schedule, null);
            assertThat(run.status()).as(schedule + " with DynamoDB down: " + run.body()).isEqualTo(500);
        }
        // A person opening or pressing Accept on the emailed link gets a page saying to try again, not problem+json.
        String link = stack.baseUrl() + "/invitations/accept?token=" + "A".repeat(43);
        for (TestHttp.Response page : List.of(TestHttp.get(link),
                TestHttp.send("POST", link, "", "Content-Type", "application/x-www-form-urlencoded"))) {
            assertThat(page.status()).as("the accept page with DynamoDB down: %s", page.body()).isEqualTo(503);
            assertThat(page.header("Retry-After")).as("its Retry-After; headers %s", page.headers()).isNotBlank();
            assertThat(page.body()).startsWith("<!doctype html>").contains("Tenure is briefly unavailable").contains("link still works");
        }
        phase.faultEnded();
        stack.startDynamoDb();

        traffic.awaitSuccesses(traffic.successes() + 6);
        traffic.stop();

        assertThat(phase.duringFault()).as("requests while DynamoDB was down").hasSizeGreaterThanOrEqualTo(CALLS_PER_FAULT)
                .allSatisfy(call -> assertThat(call.unavailableWithRetryAfter())
                        .as("%s during the outage answered %d %s %s", call.op, call.status(), call.response.headers(), call.body())
                        .isTrue());
        phase.assertNoServerErrorsBut503();

        // Callers retry what answered 503 with the same Idempotency-Key, once the claims' leases lapse.
        stack.clock().advance(Duration.ofMinutes(2));
        phase.retryUnavailable();
        phase.resendUndelivered();
        phase.runSchedulesUntilDone();
        phase.count();
        assertThat(phase.lost).as(phase.report()).isZero();
    }

    @Test
    @Order(2)
    void sesDownThenBackLosesNothing() throws Exception {
        Phase phase = new Phase("ses-down");
        phase.prepare();
        Traffic traffic = phase.startTraffic();
        traffic.awaitSuccesses(6);

        Mailbox.archive();
        stack.ses().stop();
        faultsInjected++;
        phase.faultStarted();
        traffic.awaitCallsSince(phase.faultStart, CALLS_PER_FAULT);
        JsonNode sweep = phase.run("ExpirySweepSchedule");
        assertThat(sweep.path("failed").asInt()).as("the sweep could not email: its steps are left for the next run " + sweep)
                .isGreaterThanOrEqualTo(EXPIRING);
        phase.faultEnded();
        stack.ses().start();

        traffic.awaitSuccesses(traffic.successes() + 6);
        traffic.stop();

        assertThat(phase.duringFault()).hasSizeGreaterThanOrEqualTo(CALLS_PER_FAULT)
                .allSatisfy(call -> assertThat(call.status()).as("%s while SES was down: %s", call.op, call.body()).isBetween(200, 299));
        assertThat(phase.duringFault()).filteredOn(c -> c.op == Op.INVITE).isNotEmpty()
                .allSatisfy(call -> assertThat(call.warnings()).as(call.body()).contains("email_not_sent"));
        phase.assertNoServerErrorsBut503();

        stack.clock().advance(Duration.ofMinutes(2));
        phase.retryUnavailable();
        phase.resendUndelivered();
        phase.runSchedulesUntilDone();
        phase.count();
        assertThat(phase.lost).as(phase.report()).isZero();
    }

    @Test
    @Order(3)
    void sesThrottlingLosesNothing() throws Exception {
        Phase phase = new Phase("ses-throttling");
        phase.prepare();
        int throttledBefore = stack.ses().throttledRequests();
        Traffic traffic = phase.startTraffic();
        traffic.awaitSuccesses(6);

        Mailbox.archive();
        stack.ses().throttle();
        faultsInjected++;
        phase.faultStarted();
        traffic.awaitCallsSince(phase.faultStart, CALLS_PER_FAULT);
        JsonNode sweep = phase.run("ExpirySweepSchedule");
        assertThat(sweep.path("failed").asInt()).as("throttled, the sweep leaves its steps for the next run " + sweep)
                .isGreaterThanOrEqualTo(EXPIRING);
        phase.faultEnded();
        stack.ses().start();

        traffic.awaitSuccesses(traffic.successes() + 6);
        traffic.stop();

        List<Call> invites = phase.duringFault().stream().filter(c -> c.op == Op.INVITE).toList();
        assertThat(phase.duringFault()).hasSizeGreaterThanOrEqualTo(CALLS_PER_FAULT)
                .allSatisfy(call -> assertThat(call.status()).as("%s while SES throttled: %s", call.op, call.body()).isBetween(200, 299));
        assertThat(invites).isNotEmpty().allSatisfy(call -> {
            assertThat(call.warnings()).as(call.body()).contains("email_not_sent");
            assertThat(call.body()).contains("TooManyRequestsException");
        });
        int throttled = stack.ses().throttledRequests() - throttledBefore;
        System.out.printf("[faults] ses-throttling: %d SES requests answered 429 for %d invites and %d sweep steps (the SDK retries throttling)%n",
                throttled, invites.size(), sweep.path("failed").asInt());
        assertThat(throttled).as("every throttled send was tried again").isGreaterThan(invites.size());
        phase.assertNoServerErrorsBut503();

        stack.clock().advance(Duration.ofMinutes(2));
        phase.retryUnavailable();
        phase.resendUndelivered();
        phase.runSchedulesUntilDone();
        phase.count();
        assertThat(phase.lost).as(phase.report()).isZero();
    }

    @Test
    @Order(4)
    void afterEveryFaultNothingIsLostAndNoCallWasRefusedByIam() {
        assertThat(phases).hasSize(3);
        int lost = 0;
        for (Phase phase : phases) {
            phase.runSchedulesUntilDone();
            phase.count();
            lost += phase.lost;
            System.out.println("[faults] " + phase.report());
        }
        assertThat(lost).as("items lost across all faults").isZero();
        assertThat(stack.iamDenials()).as("AWS calls the template's policies refused").isEmpty();
    }

    // ------------------------------------------------------------------ one fault, its org and its traffic

    enum Op { INVITE, ACCEPT, READ }

    /** One request and its answer. */
    record Call(Op op, String key, String sent, String email, long startNanos, long endNanos, TestHttp.Response response) {
        int status() {
            return response.status();
        }

        String body() {
            return response.body();
        }

        boolean unavailableWithRetryAfter() {
            return status() == 503 && response.header("retry-after") != null
                    && String.valueOf(response.header("content-type")).startsWith("application/problem+json")
                    && body().contains("\"code\":\"service_unavailable\"");
        }

        @SuppressWarnings("unchecked")
        List<Object> warnings() {
            return ((List<Map<String, Object>>) response.json().getOrDefault("warnings", List.of())).stream()
                    .map(w -> w.get("code")).toList();
        }
    }

    /** One fault: its own org and admin, the traffic around it, and what 2xx answers promised. */
    final class Phase {
        final String name;
        final String adminEmail;
        final String[] admin;
        String orgId;
        String projectId;
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<String> tokensToAccept = new ConcurrentLinkedQueue<>();
        /** invitation id → invitee, from every 201 (first answer or retry). */
        final Map<String, String> promisedInvitations = Collections.synchronizedMap(new LinkedHashMap<>());
        /** invitee → the token a 200 accept (first answer or retry) turned into a member. */
        final Map<String, String> promisedMembers = Collections.synchronizedMap(new LinkedHashMap<>());
        final List<String> expiring = new ArrayList<>();
        final List<String> expiringInvitees = new ArrayList<>();
        volatile long faultStart;
        volatile long faultEnd;
        private volatile CountDownLatch lifted = new CountDownLatch(0);
        private final AtomicInteger begunDuringFault = new AtomicInteger();
        int lost;
        final List<String> problems = new ArrayList<>();

        Phase(String name) {
            this.name = name;
            this.adminEmail = "faults-" + name + "-" + UUID.randomUUID() + "@acme.example";
            this.admin = TestHttp.bearer(stack, adminEmail);
            phases.add(this);
        }

        /** The org, six invitations to accept during the run, and invitations that expire during the fault. */
        void prepare() {
            TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs",
                    "{\"name\":\"Faults " + name + "\",\"settings\":{\"invitesPerDay\":500}}", admin);
            assertThat(org.status()).as(org.body()).isEqualTo(201);
            orgId = (String) org.json().get("id");
            TestHttp.Response project = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin);
            assertThat(project.status()).as(project.body()).isEqualTo(201);
            projectId = (String) project.json().get("id");
            // One batch: the invitations that expire during the fault, and those accepted during the run.
            StringBuilder batch = new StringBuilder("{\"invitations\":[");
            List<String> accepting = new ArrayList<>();
            for (int i = 0; i < EXPIRING + 6; i++) {
                String invitee = (i < EXPIRING ? "expiring-" : "accepting-") + i + "-" + UUID.randomUUID() + "@partner.example";
                (i < EXPIRING ? expiringInvitees : accepting).add(invitee);
                batch.append(i == 0 ? "" : ",").append("{\"email\":\"").append(invitee)
                        .append("\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"").append(projectId)
                        .append("\",\"role\":\"viewer\"}]").append(i < EXPIRING ? ",\"expiresInDays\":1" : "").append('}');
            }
            TestHttp.Response made = TestHttp.post(invitationsUrl() + "/batch", batch + "]}", admin);
            assertThat(made.status()).as(made.body()).isEqualTo(207);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> results = (List<Map<String, Object>>) made.json().get("results");
            assertThat(results).as(made.body()).hasSize(EXPIRING + 6).allSatisfy(r -> assertThat(r.get("status")).isEqualTo(201));
            for (int i = 0; i < EXPIRING; i++) {
                expiring.add((String) ((Map<?, ?>) results.get(i).get("invitation")).get("id"));
            }
            for (String invitee : accepting) {
                tokensToAccept.add(invitee + " " + Invitations.tokenFromEmail(stack, invitee));
            }
            calls.clear();
            // The expiring invitations are due for the sweep from here on.
            stack.clock().advance(Duration.ofDays(1).plusMinutes(1));
        }

        Traffic startTraffic() {
            return new Traffic(this);
        }

        void faultStarted() {
            begunDuringFault.set(0);
            lifted = new CountDownLatch(1);
            faultStart = System.nanoTime();
        }

        void faultEnded() {
            faultEnd = System.nanoTime();
            lifted.countDown();
        }

        /**
         * Lets a client begin a request, unless the fault is on and enough requests have begun
         * during it: then the client waits until the fault is lifted, so an outage costs a bounded
         * number of requests (and of retries afterwards).
         */
        void mayBegin() throws InterruptedException {
            CountDownLatch current = lifted;
            if (current.getCount() > 0 && begunDuringFault.incrementAndGet() > CALLS_PER_FAULT + 3) {
                current.await(120, TimeUnit.SECONDS);
            }
        }

        /** Calls that began after the fault was injected and were answered before it was lifted. */
        List<Call> duringFault() {
            return calls.stream().filter(c -> c.startNanos >= faultStart && c.endNanos <= faultEnd).toList();
        }

        void assertNoServerErrorsBut503() {
            assertThat(calls).allSatisfy(call -> assertThat(call.status() < 500 || call.unavailableWithRetryAfter())
                    .as("%s answered %d: %s", call.op, call.status(), call.body()).isTrue());
            assertThat(calls).allSatisfy(call -> assertThat(call.status())
                    .as("%s answered %s", call.op, call.body()).isIn(200, 201, 503));
            calls.stream().filter(c -> c.status() == 201 && c.op == Op.INVITE)
                    .forEach(c -> promisedInvitations.put((String) c.response.json().get("id"), c.email));
            calls.stream().filter(c -> c.status() == 200 && c.op == Op.ACCEPT).forEach(c -> promisedMembers.put(c.email, c.key));
            long slowest = calls.stream().filter(c -> c.status() == 503).mapToLong(c -> c.endNanos - c.startNanos).max().orElse(0);
            System.out.printf("[faults] %s: %d calls, %d during the fault, %d answered 503 with Retry-After (slowest 503 after %.2f s)%n",
                    name, calls.size(), duringFault().size(), calls.stream().filter(Call::unavailableWithRetryAfter).count(), slowest / 1e9);
        }

        /** Each write that answered 503 is sent again as its caller would: same body, same Idempotency-Key. */
        void retryUnavailable() {
            for (Call call : List.copyOf(calls)) {
                if (call.status() != 503) {
                    continue;
                }
                if (call.op == Op.INVITE) {
                    Call retry = send(Op.INVITE, call.email, call.key, call.sent,
                            () -> TestHttp.post(invitationsUrl(), call.sent, admin[0], admin[1], "Idempotency-Key", call.key));
                    assertThat(retry.status()).as("retry of an invite that answered 503: " + retry.body()).isEqualTo(201);
                    promisedInvitations.put((String) retry.response.json().get("id"), call.email);
                } else if (call.op == Op.ACCEPT) {
                    Call retry = send(Op.ACCEPT, call.email, call.key, call.sent,
                            () -> TestHttp.post(stack.baseUrl() + "/invitations/accept", call.sent));
                    // 410 invitation_used: the first attempt had committed before its answer was lost.
                    assertThat(retry.status()).as("retry of an accept that answered 503: " + retry.body()).isIn(200, 410);
                    if (retry.status() == 410) {
                        assertThat(retry.body()).contains("invitation_used");
                    }
                    promisedMembers.put(call.email, call.key);
                }
            }
        }

        /**
         * What SES could not take, or whose send was cut short, is sent again by a resend, as an
         * admin told {@code email_not_sent} or {@code email_not_confirmed} would.
         */
        void resendUndelivered() {
            for (String id : List.copyOf(promisedInvitations.keySet())) {
                TestHttp.Response read = TestHttp.get(invitationsUrl() + "/" + id, admin);
                Object delivery = ((Map<?, ?>) read.json().get("delivery")).get("status");
                if (!"pending".equals(read.json().get("status")) || "sent".equals(delivery)) {
                    continue;
                }
                TestHttp.Response resent = TestHttp.post(invitationsUrl() + "/" + id + "/resend", null, admin);
                assertThat(resent.status()).as(resent.body()).isEqualTo(200);
                assertThat(((Map<?, ?>) resent.json().get("delivery")).get("status")).as(resent.body()).isEqualTo("sent");
            }
        }

        /** The schedules run until nothing is due: the sweep, then the events publisher. */
        void runSchedulesUntilDone() {
            for (int i = 0; i < 3 && run("ExpirySweepSchedule").path("found").asInt() > 0; i++) {
                stack.clock().advance(Duration.ofSeconds(1));
            }
            for (int i = 0; i < 3 && run("EventsPublisherSchedule").path("published").asInt() > 0; i++) {
                stack.clock().advance(Duration.ofSeconds(1));
            }
        }

        JsonNode run(String schedule) {
            TestHttp.Response response = TestHttp.post(stack.baseUrl() + "/_local/schedules/" + schedule, null);
            assertThat(response.status()).as(schedule + ": " + response.body()).isEqualTo(200);
            try {
                return MAPPER.readTree(response.body());
            } catch (Exception e) {
                throw new IllegalStateException(response.body(), e);
            }
        }

        /** Counts items lost: promised but missing, half-written, unpublished, or scheduled work not done. */
        void count() {
            problems.clear();
            for (Map.Entry<String, String> promised : Map.copyOf(promisedInvitations).entrySet()) {
                TestHttp.Response read = TestHttp.get(invitationsUrl() + "/" + promised.getKey(), admin);
                if (read.status() != 200 || !promised.getValue().equals(read.json().get("email"))) {
                    problems.add("invitation " + promised.getKey() + " promised by a 201 reads " + read.status() + " " + read.body());
                } else if ("pending".equals(read.json().get("status"))
                        && !"sent".equals(((Map<?, ?>) read.json().get("delivery")).get("status"))) {
                    problems.add("invitation " + promised.getKey() + " is pending and its email never went out: " + read.body());
                }
            }
            for (Map.Entry<String, String> promised : Map.copyOf(promisedMembers).entrySet()) {
                if (activeMember(promised.getKey()) == null) {
                    problems.add("member " + promised.getKey() + " promised by an accept is not an active member");
                }
            }
            Instant now = stack.clock().instant();
            for (Map<String, AttributeValue> invitation : query("ORG#" + orgId, "INV#")) {
                problems.addAll(wholeInvitation(invitation, now));
            }
            for (Map<String, AttributeValue> audit : query("ORG#" + orgId + "#AUDIT", "AUD#")) {
                String action = audit.get("action").s();
                if (PUBLISHED.contains(action) && !published(audit.get("id").s())) {
                    problems.add("audit event " + audit.get("id").s() + " (" + action + ") was never published");
                }
            }
            for (int i = 0; i < expiring.size(); i++) {
                TestHttp.Response read = TestHttp.get(invitationsUrl() + "/" + expiring.get(i), admin);
                if (!"expired".equals(read.json().get("status"))) {
                    problems.add("invitation " + expiring.get(i) + " due to expire reads " + read.json().get("status"));
                }
                String subject = "Your invitation to " + expiringInvitees.get(i) + " expired";
                long told = Mailbox.count(adminEmail, subject);
                if (told != 1) {
                    problems.add("the inviter got " + told + " emails '" + subject + "', not 1");
                }
            }
            lost = problems.size();
        }

        String report() {
            return name + ": " + promisedInvitations.size() + " invitations and " + promisedMembers.size()
                    + " members promised, " + expiring.size() + " expiries due; " + lost + " items lost" + (problems.isEmpty() ? "" : ": " + problems);
        }

        /** An invitation is whole: its token, its pending guard and due expiry while pending, its creation audited; accepted, its member and guard. */
        private List<String> wholeInvitation(Map<String, AttributeValue> invitation, Instant now) {
            List<String> missing = new ArrayList<>();
            String id = invitation.get("id").s();
            String emailKey = invitation.get("emailKey").s();
            String status = invitation.get("status").s();
            String tokenHash = invitation.get("tokenHash").s();
            Map<String, AttributeValue> token = item("TOKEN#" + tokenHash, "TOKEN");
            if (token == null || !id.equals(token.get("invitationId").s())) {
                missing.add(id + ": no token item");
            }
            boolean pending = status.equals("pending") && Instant.parse(invitation.get("expiresAt").s()).isAfter(now);
            if (pending) {
                Map<String, AttributeValue> guard = item("ORG#" + orgId, "PENDING#" + emailKey);
                if (guard == null || !id.equals(guard.get("invitationId").s())) {
                    missing.add(id + ": pending without its pending guard");
                }
                if (item("ORG#" + orgId, "DUE#invite_expiry#" + id) == null) {
                    missing.add(id + ": pending without its due expiry step");
                }
            }
            List<String> actions = auditActions(id);
            if (!actions.contains("invitation.created")) {
                missing.add(id + ": no invitation.created audit event");
            }
            if (status.equals("accepted")) {
                if (!actions.contains("invitation.accepted")) {
                    missing.add(id + ": accepted without its audit event");
                }
                if (activeMember(emailKey) == null) {
                    missing.add(id + ": accepted without an active member and its guard");
                }
            }
            return missing;
        }

        /** The active member of this org with this address (guard and member item), or null. */
        private Map<String, AttributeValue> activeMember(String email) {
            Map<String, AttributeValue> guard = item("ORG#" + orgId, "MEMBER_EMAIL#" + email.toLowerCase());
            if (guard == null) {
                return null;
            }
            Map<String, AttributeValue> member = item("ORG#" + orgId, "MEM#" + guard.get("memberId").s());
            return member != null && "active".equals(member.get("status").s()) ? member : null;
        }

        private List<String> auditActions(String targetId) {
            List<String> actions = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            do {
                QueryResponse page = dynamo.query(QueryRequest.builder().tableName(stack.tableName()).indexName("GSI2")
                        .keyConditionExpression("gsi2pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("TARGET#" + targetId)))
                        .exclusiveStartKey(start).build());
                page.items().forEach(i -> actions.add(i.get("action").s()));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            return actions;
        }

        private boolean published(String auditId) {
            return stack.events().entries().stream()
                    .anyMatch(e -> String.valueOf(e.get("Detail")).contains("\"eventId\":\"" + auditId + "\""));
        }

        private Call invite(String invitee, String extra) {
            String body = "{\"email\":\"" + invitee + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId
                    + "\",\"role\":\"viewer\"}]" + (extra == null ? "" : "," + extra) + "}";
            String key = "faults-" + UUID.randomUUID();
            return send(Op.INVITE, invitee, key, body,
                    () -> TestHttp.post(invitationsUrl(), body, admin[0], admin[1], "Idempotency-Key", key));
        }

        private Call accept(String invitee, String token) {
            String body = "{\"token\":\"" + token + "\"}";
            return send(Op.ACCEPT, invitee, token, body, () -> TestHttp.post(stack.baseUrl() + "/invitations/accept", body));
        }

        private Call read() {
            return send(Op.READ, null, null, null, () -> TestHttp.get(invitationsUrl() + "?limit=5", admin));
        }

        /** Sends, recording the call; the local gateway's own throttling (429 without problem+json) is waited out on the stack's clock. */
        private Call send(Op op, String email, String key, String body, java.util.function.Supplier<TestHttp.Response> request) {
            for (int attempt = 0; ; attempt++) {
                long started = System.nanoTime();
                TestHttp.Response response = request.get();
                long ended = System.nanoTime();
                boolean gatewayThrottled = response.status() == 429
                        && !String.valueOf(response.header("content-type")).startsWith("application/problem+json");
                if (gatewayThrottled && attempt < 20) {
                    stack.clock().advance(Duration.ofSeconds(1));
                    continue;
                }
                Call call = new Call(op, key, body, email, started, ended, response);
                calls.add(call);
                return call;
            }
        }

        private String invitationsUrl() {
            return stack.baseUrl() + "/orgs/" + orgId + "/invitations";
        }

        private List<Map<String, AttributeValue>> query(String pk, String skPrefix) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            do {
                QueryResponse page = dynamo.query(QueryRequest.builder().tableName(stack.tableName()).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":prefix", AttributeValue.fromS(skPrefix)))
                        .exclusiveStartKey(start).build());
                items.addAll(page.items());
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            return items;
        }

        private Map<String, AttributeValue> item(String pk, String sk) {
            var response = dynamo.getItem(b -> b.tableName(stack.tableName()).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))));
            return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
        }
    }

    /** Three clients at once: invites, accepts (while tokens last) and reads, until stopped. */
    final class Traffic {
        private final Phase phase;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger next = new AtomicInteger();
        private final ExecutorService clients = Executors.newFixedThreadPool(3);
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();

        Traffic(Phase phase) {
            this.phase = phase;
            for (int i = 0; i < 3; i++) {
                clients.submit(this::loop);
            }
        }

        private void loop() {
            while (running.get()) {
                try {
                    phase.mayBegin();
                    switch (next.getAndIncrement() % 3) {
                        case 0 -> phase.invite("traffic-" + UUID.randomUUID() + "@partner.example", null);
                        case 1 -> {
                            String pair = phase.tokensToAccept.poll();
                            if (pair == null) {
                                phase.invite("traffic-" + UUID.randomUUID() + "@partner.example", null);
                            } else {
                                String[] parts = pair.split(" ");
                                phase.accept(parts[0], parts[1]);
                            }
                        }
                        default -> phase.read();
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        int successes() {
            return (int) phase.calls.stream().filter(c -> c.status() / 100 == 2).count();
        }

        void awaitSuccesses(int count) {
            Await.until(Duration.ofSeconds(120), count + " answered requests", () -> {
                assertThat(failures).isEmpty();
                return successes() >= count;
            });
        }

        /** Waits for {@code count} requests begun since then, two of them invites (slow while SES throttles). */
        void awaitCallsSince(long since, int count) {
            Await.until(Duration.ofSeconds(120), count + " requests during the fault", () -> {
                assertThat(failures).isEmpty();
                List<Call> begun = phase.calls.stream().filter(c -> c.startNanos >= since).toList();
                return begun.size() >= count && begun.stream().filter(c -> c.op == Op.INVITE).count() >= 2;
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).as("the clients finished their last requests").isTrue();
            assertThat(failures).isEmpty();
        }
    }

    /**
     * Every email the emulator received, kept across its restarts: it holds its emails in memory,
     * so the test archives them before taking it down.
     */
    static final class Mailbox {
        private static final Map<String, Map<String, Object>> archived = Collections.synchronizedMap(new LinkedHashMap<>());

        static void archive() {
            SesMailbox.emails(stack.sesUrl()).forEach(e -> archived.put(String.valueOf(e.get("messageId")), e));
        }

        static long count(String to, String subject) {
            Map<String, Map<String, Object>> all = new LinkedHashMap<>(archived);
            SesMailbox.emailsTo(stack.sesUrl(), to).forEach(e -> all.put(String.valueOf(e.get("messageId")), e));
            return all.values().stream().filter(e -> subject.equals(e.get("subject")))
                    .filter(e -> String.valueOf(e.get("destination")).toLowerCase().contains(to.toLowerCase())).count();
        }
    }
}
