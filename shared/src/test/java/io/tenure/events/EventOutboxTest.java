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
import io.tenure.member.Caller;
import io.tenure.member.MemberAccess;
import io.tenure.member.MemberStore;
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
        OrgService orgs = new OrgService(new OrgStore(table), new MemberStore(table.name()), new MemberAccess(table, clock),
                new AuditLog(table.name()), clock);
        Organization org = orgs.create(ADMIN, (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"name\":\"Acme\"}"), ORIGIN);
        Project project = orgs.createProject(ADMIN, org.id(), (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"name\":\"Web\"}"), ORIGIN);
        EmailSender email = message -> "m";
        new InvitationService(new InvitationStore(table), new OrgStore(table), new MemberAccess(table, clock), new AuditLog(table.name()),
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

    /** A fake event bus that can be down. */
    private static final class FakeBus implements EventPublisher {
        final List<OutgoingEvent> sent = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public List<String> publish(List<OutgoingEvent> events) {
            if (down) {
                throw new IllegalStateException("bus unavailable");
            }
            sent.addAll(events);
            return List.of();
        }
    }
}
