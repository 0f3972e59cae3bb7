package io.tenure.lifecycle;

import static io.tenure.TestJson.json;

import io.tenure.schedule.Deadline;
import io.tenure.schedule.RunSummary;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenure.TestClock;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailMessage;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.invitation.InvitationService;
import io.tenure.invitation.InvitationStore;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.org.OrgService;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.TestTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The scheduled work on DynamoDB Local, with a fake email sender (end-to-end tests use the SES emulator). */
class ScheduledWorkTest {
    private static final Instant DAY0 = Instant.parse("2026-11-24T09:00:00Z");
    private static final Caller ADMIN = new Caller("sub-admin", "admin@acme.com", "admin@acme.com", true);
    private static final RequestOrigin ORIGIN = new RequestOrigin("r", null, null);

    private final TestClock clock = new TestClock(DAY0);
    private final CountingSender email = new CountingSender();

    @Test
    void oneSweepOnATableOf20000ItemsWith50DueReadsAtMost55Items() {
        Table table = TestTable.create();
        Setup setup = new Setup(table);
        for (int i = 0; i < 50; i++) {
            setup.invite("due-" + i + "@partner.io");
        }
        fill(table, 20_000 - TestTable.partition(table, TableKeys.Org.pk(setup.org.id())).size());
        clock.advance(Duration.ofDays(8));

        ReadCounter counter = new ReadCounter();
        DynamoDbClient counted = TestTable.clientWith(counter);
        ExpirySweep sweep = new ExpirySweep(TestTable.sameTable(table, counted), new OrgStore(TestTable.sameTable(table, counted)),
                new AuditLog(), email, new EmailTemplates(), clock);
        RunSummary summary = sweep.run(Deadline.none());

        System.out.println("Sweep over 20,000 items with 50 due: items read = " + counter.items.get()
                + ", requests = " + counter.requests.get() + ", emails = " + summary.emailsSent());
        assertThat(summary.done()).isEqualTo(50);
        assertThat(email.expiredNotices()).isEqualTo(50);
        assertThat(counter.items.get()).isLessThanOrEqualTo(55);
    }

    @Test
    void twoOverlappingSweepsSendEachEmailOnce() throws Exception {
        Table table = TestTable.create();
        Setup setup = new Setup(table);
        for (int i = 0; i < 40; i++) {
            setup.invite("race-" + i + "@partner.io");
        }
        clock.advance(Duration.ofDays(8));
        ExpirySweep sweep = new ExpirySweep(table, new OrgStore(table), new AuditLog(), email, new EmailTemplates(), clock);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<RunSummary>> runs = List.of(pool.submit(() -> sweep.run(Deadline.none())), pool.submit(() -> sweep.run(Deadline.none())));
        int done = 0;
        for (Future<RunSummary> run : runs) {
            done += run.get().done();
        }
        pool.shutdown();

        assertThat(done).isEqualTo(40);
        assertThat(email.expiredNotices()).isEqualTo(40);
        assertThat(audits(table, setup.org.id(), "invitation.expired")).isEqualTo(40);
        assertThat(sweep.run(Deadline.none()).found()).isZero();
    }

    /** SnapStart priming's dry run of the sweep: it finds what is due, and claims, sends and changes nothing. */
    @Test
    void peekFindsWhatIsDueAndLeavesItAllForTheNextRun() {
        Table table = TestTable.create();
        Setup setup = new Setup(table);
        for (int i = 0; i < 3; i++) {
            setup.invite("peek-" + i + "@partner.io");
        }
        clock.advance(Duration.ofDays(8));
        long sentBefore = email.expiredNotices();
        ExpirySweep sweep = new ExpirySweep(table, new OrgStore(table), new AuditLog(), email, new EmailTemplates(), clock);

        assertThat(sweep.peek()).isEqualTo(3);
        assertThat(sweep.peek()).as("a second dry run sees the same").isEqualTo(3);
        assertThat(email.expiredNotices()).isEqualTo(sentBefore);
        assertThat(audits(table, setup.org.id(), "invitation.expired")).isZero();

        assertThat(sweep.run(Deadline.none()).done()).as("nothing was claimed, so the run does all three").isEqualTo(3);
    }

    @Test
    void whenEmailFailsMidRunNothingIsMarkedDoneWithoutItsEmailAndALaterRunSendsTheRest() {
        Table table = TestTable.create();
        Setup setup = new Setup(table);
        for (int i = 0; i < 10; i++) {
            setup.invite("fail-" + i + "@partner.io");
        }
        clock.advance(Duration.ofDays(8));
        ExpirySweep sweep = new ExpirySweep(table, new OrgStore(table), new AuditLog(), email, new EmailTemplates(), clock);

        email.failAfter(4);
        RunSummary first = sweep.run(Deadline.none());
        assertThat(first.done()).isEqualTo(4);
        assertThat(first.failed()).isEqualTo(6);

        email.failAfter(Integer.MAX_VALUE);
        RunSummary second = sweep.run(Deadline.none());
        assertThat(second.done()).isEqualTo(6);
        assertThat(email.expiredNotices()).isEqualTo(10);
        assertThat(audits(table, setup.org.id(), "invitation.expired")).isEqualTo(10);
    }

    @Test
    void aRunStopsBeforeItsDeadlineAndTheNextRunResumes() {
        Table table = TestTable.create();
        Setup setup = new Setup(table);
        for (int i = 0; i < 6; i++) {
            setup.invite("slow-" + i + "@partner.io");
        }
        clock.advance(Duration.ofDays(8));
        ExpirySweep sweep = new ExpirySweep(table, new OrgStore(table), new AuditLog(), email, new EmailTemplates(), clock);
        AtomicInteger checks = new AtomicInteger();

        RunSummary cut = sweep.run(new Deadline(() -> checks.incrementAndGet() <= 3 ? 60_000 : 1_000, 5_000));
        assertThat(cut.stoppedEarly()).isTrue();
        assertThat(cut.done()).isEqualTo(3);
        RunSummary rest = sweep.run(Deadline.none());
        assertThat(rest.done()).isEqualTo(3);
        assertThat(email.expiredNotices()).isEqualTo(6);
    }

    @Test
    void theNextQuarterStartsAtItsFirstDay() {
        assertThat(io.tenure.org.ReviewPlans.nextQuarter(Instant.parse("2026-11-24T09:00:00Z"))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(io.tenure.org.ReviewPlans.nextQuarter(Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo(Instant.parse("2027-04-01T00:00:00Z"));
        assertThat(io.tenure.org.ReviewPlans.nextQuarter(Instant.parse("2027-06-30T23:59:59Z"))).isEqualTo(Instant.parse("2027-07-01T00:00:00Z"));
    }

    private static long audits(Table table, String orgId, String action) {
        return TestTable.partition(table, TableKeys.Audit.pk(orgId)).stream()
                .filter(a -> a.get("sk").s().startsWith("AUD#") && a.get("action").s().equals(action)).count();
    }

    /** Unrelated items, and due items far in the future, so the index holds more than is due. */
    private static void fill(Table table, int count) {
        DynamoDbClient client = TestTable.client();
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> item = new java.util.HashMap<>();
            item.put("pk", AttributeValue.fromS("ORG#org_filler" + (i % 97)));
            item.put("sk", AttributeValue.fromS("DUE#invite_expiry#inv_filler" + i));
            if (i % 2 == 0) {
                item.put("duePk", AttributeValue.fromS(TableKeys.Due.duePk("sweep", "inv_filler" + i)));
                item.put("dueSk", AttributeValue.fromS(TableKeys.Due.dueSk("2030-01-01T00:00:00Z", "invite_expiry", "inv_filler" + i)));
            }
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            if (batch.size() == 25 || i == count - 1) {
                client.batchWriteItem(BatchWriteItemRequest.builder().requestItems(Map.of(table.name(), batch)).build());
                batch = new ArrayList<>();
            }
        }
    }

    @Test
    void theNudgeRemindsOnlyInviteesWhoseEmailWentOutAndTellsTheInviterAboutTheOthers() {
        Table table = TestTable.create();
        Setup setup = new Setup(table);
        setup.invite("sent@partner.io");
        email.failAfter(0);
        setup.invite("failed@partner.io");
        email.failAfter(Integer.MAX_VALUE);
        email.sent.clear();
        clock.advance(Duration.ofHours(73));

        RunSummary summary = new Reminders(table, new OrgStore(table), new AuditLog(), email, new EmailTemplates(), "https://tenure.example", clock)
                .run(Deadline.none());

        assertThat(summary.done()).isEqualTo(2);
        List<String> sent = email.sent.stream().map(m -> m.to().get(0) + " | " + m.subject()).toList();
        assertThat(sent).containsExactlyInAnyOrder(
                "sent@partner.io | Reminder: you are invited to join Acme",
                "admin@acme.com | sent@partner.io has not accepted your invitation to Acme yet",
                "admin@acme.com | Your invitation to failed@partner.io has not reached them");
        assertThat(email.sent.stream().filter(m -> m.subject().endsWith("has not reached them")).findFirst().orElseThrow().text())
                .contains("could not be sent");
    }

    private final class Setup {
        final Organization org;
        final Project project;
        final InvitationService invitations;

        Setup(Table table) {
            OrgService orgs = new OrgService(new OrgStore(table), new MemberStore(table), new MemberAccess(table, clock),
                    new AuditLog(), clock);
            org = orgs.create(ADMIN, json("{\"name\":\"Acme\",\"settings\":{\"invitesPerDay\":500}}"), ORIGIN);
            project = orgs.createProject(ADMIN, org.id(), json("{\"name\":\"Web\"}"), ORIGIN);
            invitations = new InvitationService(new InvitationStore(table), new OrgStore(table), new MemberAccess(table, clock),
                    new AuditLog(), email, new EmailTemplates(), "https://t.example", clock);
        }

        void invite(String address) {
            invitations.invite(ADMIN, org.id(), json("{\"email\":\"" + address + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\""
                    + project.id() + "\",\"role\":\"viewer\"}]}"), ORIGIN);
        }
    }

    /** Counts the items DynamoDB returns to reads (Query, GetItem) and the requests made. */
    private static final class ReadCounter implements ExecutionInterceptor {
        final AtomicLong items = new AtomicLong();
        final AtomicLong requests = new AtomicLong();

        @Override
        public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
            requests.incrementAndGet();
            if (context.response() instanceof QueryResponse query) {
                items.addAndGet(query.count());
            } else if (context.response() instanceof GetItemResponse get && get.hasItem() && !get.item().isEmpty()) {
                items.incrementAndGet();
            }
        }
    }

    /** A fake email sender that records what it sends and can fail after a number of sends. */
    private static final class CountingSender implements EmailSender {
        final List<EmailMessage> sent = new CopyOnWriteArrayList<>();
        private volatile int allowed = Integer.MAX_VALUE;

        void failAfter(int more) {
            allowed = more == Integer.MAX_VALUE ? Integer.MAX_VALUE : sent.size() + more;
        }

        long expiredNotices() {
            return sent.stream().filter(m -> m.subject().startsWith("Your invitation to") && m.subject().endsWith("expired")).count();
        }

        @Override
        public synchronized String send(EmailMessage message) throws EmailDeliveryException {
            if (sent.size() >= allowed) {
                throw new EmailDeliveryException("The email service could not be reached.", null);
            }
            sent.add(message);
            return "m-" + sent.size();
        }
    }
}
