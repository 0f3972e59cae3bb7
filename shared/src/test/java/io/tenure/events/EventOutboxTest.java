package io.tenure.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenure.TestClock;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.invitation.InvitationService;
import io.tenure.invitation.InvitationStore;
import io.tenure.json.Json;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.org.OrgService;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import io.tenure.schedule.Deadline;
import io.tenure.store.Table;
import io.tenure.store.TestTable;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The events outbox on DynamoDB Local, with a fake event bus (no EventBridge emulator exists here). */
class EventOutboxTest {
    private static final Caller ADMIN = new Caller("sub-a", "admin@acme.com", "admin@acme.com", true);
    private static final RequestOrigin ORIGIN = new RequestOrigin("r", null, null);

    private final TestClock clock = new TestClock(Instant.parse("2026-11-24T09:00:00Z"));
    private final Table table = TestTable.create();
    private final FakeBus bus = new FakeBus();

    @Test
    void aChangeYieldsItsEventOnceEvenWhenTheBusWasDown() throws Exception {
        OrgService orgs = new OrgService(new OrgStore(table), new MemberStore(table), new MemberAccess(table, clock),
                new AuditLog(), clock);
        Organization org = orgs.create(ADMIN, (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"name\":\"Acme\"}"), ORIGIN);
        Project project = orgs.createProject(ADMIN, org.id(), (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"name\":\"Web\"}"), ORIGIN);
        EmailSender email = message -> "m";
        new InvitationService(new InvitationStore(table), new OrgStore(table), new MemberAccess(table, clock), new AuditLog(),
                email, new EmailTemplates(), "https://t.example", clock)
                .invite(ADMIN, org.id(), (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
                        "{\"email\":\"ana@partner.io\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + project.id() + "\",\"role\":\"viewer\"}]}"),
                        ORIGIN);
        EventOutbox outbox = new EventOutbox(table, bus, clock);

        bus.down = true;
        assertThat(outbox.run(Deadline.none())).containsEntry("published", 0).containsEntry("failed", 1);
        bus.down = false;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> runs = List.of(pool.submit(() -> outbox.run(Deadline.none())), pool.submit(() -> outbox.run(Deadline.none())));
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();
        assertThat(outbox.run(Deadline.none())).containsEntry("published", 0);

        assertThat(bus.sent).hasSize(1);
        EventPublisher.OutgoingEvent event = bus.sent.get(0);
        assertThat(event.detailType()).isEqualTo("invitation.created");
        assertThat(event.detail()).contains(org.id()).contains("\"email\":\"ana@partner.io\"").contains("invitationId");
    }

    /** SnapStart priming's dry run: it reads the waiting events and builds them, and claims, sends and changes nothing. */
    @Test
    void peekReadsWhatIsWaitingAndLeavesItAllForTheNextRun() throws Exception {
        InvitationService invitations = invitations();
        invitations.invite(ADMIN, org.id(), invitee("ana@partner.io"), ORIGIN);
        clock.advance(java.time.Duration.ofSeconds(1));
        EventOutbox outbox = new EventOutbox(table, bus, clock, "prod", line -> { });

        assertThat(outbox.peek()).as("events waiting: invitation.created").isEqualTo(1);
        assertThat(outbox.peek()).as("a second dry run sees the same").isEqualTo(1);
        assertThat(bus.sent).isEmpty();

        assertThat(outbox.run(Deadline.none())).as("nothing was claimed, so the next run sends it at once")
                .containsEntry("published", 1).containsEntry("failed", 0);
    }

    @Test
    void eachRunEndsWithOneMetricLineGivingTheAgeOfTheOldestEventStillWaiting() throws Exception {
        InvitationService invitations = invitations();
        invitations.invite(ADMIN, org.id(), invitee("ana@partner.io"), ORIGIN);   // invitation.created, due at T0
        clock.advance(java.time.Duration.ofSeconds(30));
        invitations.invite(ADMIN, org.id(), invitee("bo@partner.io"), ORIGIN);    // due at T0 + 30 s
        clock.advance(java.time.Duration.ofSeconds(60));
        List<String> lines = new CopyOnWriteArrayList<>();
        EventOutbox outbox = new EventOutbox(table, bus, clock, "prod", lines::add);

        // Out of time before publishing anything: the oldest is still found (a one-item Query per shard).
        outbox.run(new Deadline(() -> 0, 1));
        assertThat(metric(lines)).isEqualTo(90);
        bus.down = true;
        outbox.run(Deadline.none());
        assertThat(metric(lines)).isEqualTo(90);
        bus.down = false;
        bus.refuse = "bo@partner.io"; // the older event goes out; the newer one is what waits now
        outbox.run(Deadline.none());
        assertThat(metric(lines)).isEqualTo(60);
        clock.advance(java.time.Duration.ofSeconds(10));
        bus.refuse = null;
        outbox.run(Deadline.none());
        assertThat(metric(lines)).isZero();
        assertThat(bus.sent).hasSize(2);
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        System.out.println("metric lines: " + lines.stream().filter(l -> l.contains("_aws")).toList());
    }

    @Test
    void theMetricLineIsOneEmbeddedMetricFormatDocument() throws Exception {
        String line = EventOutbox.metricLine(Instant.parse("2026-11-24T09:01:30.250Z"), "prod", 90);
        System.out.println(line);

        assertThat(line).doesNotContain("\n");
        com.fasterxml.jackson.databind.JsonNode json = Json.MAPPER.readTree(line);
        assertThat(json.path("_aws").path("Timestamp").isIntegralNumber()).isTrue();
        assertThat(json.path("_aws").path("Timestamp").asLong()).isEqualTo(Instant.parse("2026-11-24T09:01:30.250Z").toEpochMilli());
        com.fasterxml.jackson.databind.JsonNode directive = json.path("_aws").path("CloudWatchMetrics");
        assertThat(directive.size()).isEqualTo(1);
        assertThat(directive.path(0).path("Namespace").asText()).isEqualTo("Tenure");
        assertThat(directive.path(0).path("Dimensions").toString()).isEqualTo("[[\"Stage\"]]");
        assertThat(directive.path(0).path("Metrics").toString()).isEqualTo("[{\"Name\":\"OutboxOldestAgeSeconds\",\"Unit\":\"Seconds\"}]");
        assertThat(json.path("Stage").asText()).isEqualTo("prod");
        assertThat(json.path("OutboxOldestAgeSeconds").isIntegralNumber()).isTrue();
        assertThat(json.path("OutboxOldestAgeSeconds").asLong()).isEqualTo(90);
    }

    private Organization org;
    private Project project;

    private InvitationService invitations() throws Exception {
        OrgService orgs = new OrgService(new OrgStore(table), new MemberStore(table), new MemberAccess(table, clock),
                new AuditLog(), clock);
        org = orgs.create(ADMIN, (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"name\":\"Acme\"}"), ORIGIN);
        project = orgs.createProject(ADMIN, org.id(), (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"name\":\"Web\"}"), ORIGIN);
        return new InvitationService(new InvitationStore(table), new OrgStore(table), new MemberAccess(table, clock), new AuditLog(),
                message -> "m", new EmailTemplates(), "https://t.example", clock);
    }

    private com.fasterxml.jackson.databind.node.ObjectNode invitee(String email) throws Exception {
        return (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"email\":\"" + email
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + project.id() + "\",\"role\":\"viewer\"}]}");
    }

    private static long metric(List<String> lines) throws Exception {
        String last = lines.get(lines.size() - 1);
        return Json.MAPPER.readTree(last).path(EventOutbox.OLDEST_AGE_METRIC).asLong();
    }

    /** A fake event bus that can be down. */
    private static final class FakeBus implements EventPublisher {
        final List<OutgoingEvent> sent = new CopyOnWriteArrayList<>();
        volatile boolean down;
        /** An email whose events the bus refuses (one failed entry of PutEvents). */
        volatile String refuse;

        @Override
        public List<String> publish(List<OutgoingEvent> events) {
            if (down) {
                throw new IllegalStateException("bus unavailable");
            }
            List<String> refused = new java.util.ArrayList<>();
            for (OutgoingEvent event : events) {
                if (refuse != null && event.detail().contains("\"email\":\"" + refuse + "\"")) {
                    refused.add(event.id());
                } else {
                    sent.add(event);
                }
            }
            return refused;
        }
    }
}
