package io.tenure.invitation;

import static io.tenure.TestJson.json;

import io.tenure.value.OrgRole;
import io.tenure.value.ProjectRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.TestClock;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.email.EmailTemplates;
import io.tenure.error.ForbiddenException;
import io.tenure.error.NotFoundException;
import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import io.tenure.access.Caller;
import io.tenure.access.Member;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.org.OrgService;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import io.tenure.store.Table;
import io.tenure.store.TableKeys;
import io.tenure.store.TestTable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** InvitationService against DynamoDB Local, with a fake email sender. */
class InvitationServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");
    private static final Caller ADMIN = new Caller("sub-admin", "admin@acme.com", "admin@acme.com", true);
    private static final RequestOrigin ORIGIN = new RequestOrigin("req-1", "127.0.0.1", "test");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final FakeEmailSender email = new FakeEmailSender();
    private Table table;
    private InvitationService invitations;
    private Organization org;
    private Project project;

    @BeforeEach
    void setUp() {
        table = TestTable.create();
        OrgStore orgStore = new OrgStore(table);
        MemberAccess access = new MemberAccess(table, clock);
        AuditLog audit = new AuditLog();
        OrgService orgs = new OrgService(orgStore, new MemberStore(table), access, audit, clock);
        invitations = new InvitationService(new InvitationStore(table), orgStore, access, audit, email,
                new EmailTemplates(), "https://tenure.example.com/", clock);
        org = orgs.create(ADMIN, json("{\"name\":\"Acme Analytics\"}"), ORIGIN);
        project = orgs.createProject(ADMIN, org.id(), json("{\"name\":\"Web app\"}"), ORIGIN);
    }

    @Test
    void invitationEmailCarriesALinkWhoseTokenHashIsStoredAndNothingElse() {
        InviteResult result = invitations.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN);

        assertThat(result.invitation().status().json()).isEqualTo("pending");
        assertThat(result.invitation().expiresAt()).isEqualTo(NOW.plusSeconds(7 * 86400));
        assertThat(result.invitation().delivery().status()).isEqualTo(Delivery.Status.SENT);
        assertThat(email.sent).hasSize(1);
        String text = email.sent.get(0).text();
        Matcher link = Pattern.compile("https://tenure\\.example\\.com/invitations/accept\\?token=([A-Za-z0-9_-]{43})").matcher(text);
        assertThat(link.find()).as("accept link in %s", text).isTrue();
        String token = link.group(1);
        assertThat(table.get(TableKeys.InvitationToken.pk(InvitationToken.hash(token)), TableKeys.InvitationToken.sk()))
                .hasValueSatisfying(item -> assertThat(item.get("invitationId").s()).isEqualTo(result.invitation().id()));
        String stored = TestTable.partition(table, TableKeys.Org.pk(org.id())).toString()
                + TestTable.partition(table, TableKeys.Audit.pk(org.id()));
        assertThat(stored).doesNotContain(token);
        assertThat(Json.write(result)).doesNotContain(token).doesNotContain(InvitationToken.hash(token));
    }

    @Test
    void racingInvitesOfOneAddressMakeOneInvitationAndOneConflict() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String variant = i % 2 == 0 ? "ana@partner.io" : "Ana@Partner.io";
            results.add(pool.submit((Callable<String>) () -> {
                start.await();
                try {
                    return invitations.invite(ADMIN, org.id(), body(variant), ORIGIN).invitation().id();
                } catch (InvitationPendingException e) {
                    return "409:" + e.invitationId();
                }
            }));
        }
        start.countDown();
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : results) {
            outcomes.add(f.get());
        }
        pool.shutdown();

        List<String> created = outcomes.stream().filter(o -> o.startsWith("inv_")).toList();
        assertThat(created).hasSize(1);
        assertThat(outcomes.stream().filter(o -> o.startsWith("409:"))).hasSize(racers - 1)
                .allSatisfy(o -> assertThat(o).isEqualTo("409:" + created.get(0)));
        long stored = TestTable.partition(table, TableKeys.Org.pk(org.id())).stream()
                .filter(i -> i.get("sk").s().startsWith("INV#")).count();
        assertThat(stored).isEqualTo(1);
    }

    @Test
    void emailServiceDownLeavesTheInvitationStoredAsFailedWithAWarning() {
        email.down = true;
        InviteResult result = invitations.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN);

        assertThat(result.warnings()).extracting(Warning::code).contains("email_not_sent");
        Invitation stored = new InvitationStore(table).find(org.id(), result.invitation().id()).orElseThrow();
        assertThat(stored.delivery().status()).isEqualTo(Delivery.Status.FAILED);
        assertThat(stored.delivery().error()).contains("could not be reached");
    }

    @Test
    void replaceExistingRevokesTheOldInvitation() {
        String first = invitations.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN).invitation().id();
        ObjectNode again = body("ana@partner.io");
        again.put("replaceExisting", true);
        String second = invitations.invite(ADMIN, org.id(), again, ORIGIN).invitation().id();

        assertThat(second).isNotEqualTo(first);
        assertThat(new InvitationStore(table).find(org.id(), first).orElseThrow().status().json()).isEqualTo("revoked");
    }

    @Test
    void anExpiredInvitationDoesNotBlockANewOne() {
        invitations.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN);
        InvitationService later = new InvitationService(new InvitationStore(table), new OrgStore(table),
                new MemberAccess(table, clock), new AuditLog(), email, new EmailTemplates(), "https://t.example",
                Clock.fixed(NOW.plusSeconds(8 * 86400), ZoneOffset.UTC));

        assertThat(later.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN).invitation().status().json()).isEqualTo("pending");
    }

    @Test
    void theAdminsOwnAddressIsAlreadyAMember() {
        assertThatThrownBy(() -> invitations.invite(ADMIN, org.id(), body("ADMIN@acme.com"), ORIGIN))
                .isInstanceOf(AlreadyMemberException.class);
    }

    @Test
    void variantsOfAPendingAddressComeBackAsWarnings() {
        String first = invitations.invite(ADMIN, org.id(), body("ana.lopez@gmail.com"), ORIGIN).invitation().id();
        InviteResult variant = invitations.invite(ADMIN, org.id(), body("analopez+work@googlemail.com"), ORIGIN);

        assertThat(variant.warnings()).anySatisfy(w -> {
            assertThat(w.code()).isEqualTo("possible_duplicate");
            assertThat(w.invitationId()).isEqualTo(first);
        });
    }

    @Test
    void refusedBodiesWriteNothing() {
        int before = TestTable.partition(table, TableKeys.Org.pk(org.id())).size();
        ObjectNode archivedOrUnknown = body("ana@partner.io");
        archivedOrUnknown.putArray("projects").addObject().put("projectId", "prj_unknown").put("role", "owner");

        assertThatThrownBy(() -> invitations.invite(ADMIN, org.id(), archivedOrUnknown, ORIGIN))
                .isInstanceOfSatisfying(ValidationFailedException.class, e -> assertThat(e.errors())
                        .extracting(err -> err.pointer())
                        .containsExactlyInAnyOrder("/projects/0/projectId", "/projects/0/role"));
        assertThat(TestTable.partition(table, TableKeys.Org.pk(org.id()))).hasSize(before);
        assertThat(email.sent).isEmpty();
    }

    @Test
    void onlyAdminsOfTheOrgMayInvite() {
        Caller stranger = new Caller("sub-x", "x@other.com", "x@other.com", true);
        assertThatThrownBy(() -> invitations.invite(stranger, org.id(), body("ana@partner.io"), ORIGIN))
                .isInstanceOf(NotFoundException.class);
        Caller unverified = new Caller("sub-admin", "admin@acme.com", "admin@acme.com", false);
        assertThatThrownBy(() -> invitations.invite(unverified, org.id(), body("ana@partner.io"), ORIGIN))
                .isInstanceOf(NotFoundException.class);
        // A member without the admin role gets 403.
        Member viewer = Member.accepted("mem_viewer", org.id(), "vi@acme.com", "vi@acme.com", OrgRole.MEMBER,
                java.util.Map.of(project.id(), ProjectRole.VIEWER), null, List.of(), null, null, null, NOW);
        assertThat(table.transact(new MemberStore(table).create(viewer, io.tenure.value.EmailAddress.canonical(viewer.emailKey()))).committed()).isTrue();
        Caller member = new Caller("sub-vi", "vi@acme.com", "vi@acme.com", true);
        assertThatThrownBy(() -> invitations.invite(member, org.id(), body("ana@partner.io"), ORIGIN))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void resendAllowsOneSendAMinuteAndFiveADay() {
        TestClock moving = new TestClock(NOW);
        InvitationService service = service(moving);
        String id = service.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN).invitation().id();

        assertThatThrownBy(() -> service.resend(ADMIN, org.id(), id, ORIGIN))
                .isInstanceOfSatisfying(io.tenure.error.RateLimitedException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(60));
        for (int send = 2; send <= 5; send++) {
            moving.advance(java.time.Duration.ofMinutes(2));
            assertThat(service.resend(ADMIN, org.id(), id, ORIGIN).sendCount()).isEqualTo(send);
        }
        moving.advance(java.time.Duration.ofMinutes(2));
        assertThatThrownBy(() -> service.resend(ADMIN, org.id(), id, ORIGIN))
                .isInstanceOfSatisfying(io.tenure.error.RateLimitedException.class,
                        e -> assertThat(e.retryAfterSeconds()).isGreaterThan(3600));
        moving.advance(java.time.Duration.ofDays(1));
        assertThat(service.resend(ADMIN, org.id(), id, ORIGIN).sendCount()).isEqualTo(6);
        assertThat(email.sent).hasSize(6);
    }

    @Test
    void listsPageWithACursorAndComputeExpiredAtReadTime() {
        TestClock moving = new TestClock(NOW);
        InvitationService service = service(moving);
        InvitationQueries queries = new InvitationQueries(new InvitationStore(table), new MemberAccess(table, moving), moving);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(service.invite(ADMIN, org.id(), body("p" + i + "@partner.io"), ORIGIN).invitation().id());
            moving.advance(java.time.Duration.ofSeconds(1));
        }
        io.tenure.store.Page<Invitation> first = queries.list(ADMIN, org.id(), null, 2, null);
        io.tenure.store.Page<Invitation> second = queries.list(ADMIN, org.id(), null, 2, first.nextCursor());
        io.tenure.store.Page<Invitation> third = queries.list(ADMIN, org.id(), null, 2, second.nextCursor());

        List<String> seen = new ArrayList<>();
        List.of(first, second, third).forEach(p -> p.items().forEach(i -> seen.add(i.id())));
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        assertThat(third.nextCursor()).isNull();

        moving.advance(java.time.Duration.ofDays(8));
        assertThat(queries.list(ADMIN, org.id(), "pending", 50, null).items()).isEmpty();
        assertThat(queries.list(ADMIN, org.id(), "expired", 50, null).items()).hasSize(5)
                .allSatisfy(i -> assertThat(i.status().json()).isEqualTo("expired"));
        assertThatThrownBy(() -> queries.list(ADMIN, org.id(), "done", 50, null)).isInstanceOf(ValidationFailedException.class);
    }

    @Test
    void aSendCutShortReadsAsUnconfirmedAfterTwoMinutesAndAResendRecoversIt() {
        TestClock moving = new TestClock(NOW);
        boolean[] killed = {true};
        io.tenure.email.EmailSender dying = message -> {
            if (killed[0]) {
                throw new FunctionKilled(); // the Lambda runtime stops the function mid-send
            }
            return email.send(message);
        };
        InvitationService service = new InvitationService(new InvitationStore(table), new OrgStore(table),
                new MemberAccess(table, moving), new AuditLog(), dying, new EmailTemplates(), "https://t.example", moving);
        InvitationQueries queries = new InvitationQueries(new InvitationStore(table), new MemberAccess(table, moving), moving);

        assertThatThrownBy(() -> service.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN)).isInstanceOf(FunctionKilled.class);
        String id = queries.list(ADMIN, org.id(), "pending", 10, null).items().get(0).id();
        Invitation stored = new InvitationStore(table).find(org.id(), id).orElseThrow();
        assertThat(stored.delivery()).isEqualTo(Delivery.sending(NOW));

        moving.advance(Delivery.CONFIRM_WITHIN.minusSeconds(1));
        assertThat(queries.get(ADMIN, org.id(), id).delivery().status()).isEqualTo(Delivery.Status.SENDING);
        moving.advance(java.time.Duration.ofSeconds(1));
        Invitation read = queries.get(ADMIN, org.id(), id);
        assertThat(read.status().json()).isEqualTo("pending");
        assertThat(read.delivery().status()).isEqualTo(Delivery.Status.UNCONFIRMED);
        assertThat(Json.write(read)).contains("\"status\":\"unconfirmed\"");

        killed[0] = false;
        Invitation resent = service.resend(ADMIN, org.id(), id, ORIGIN);
        assertThat(resent.delivery().status()).isEqualTo(Delivery.Status.SENT);
        assertThat(resent.sendCount()).isEqualTo(2);
        Invitation recovered = queries.get(ADMIN, org.id(), id);
        assertThat(recovered.delivery()).isEqualTo(resent.delivery());
        assertThat(recovered.delivery().messageId()).isEqualTo("msg-1");
        assertThat(email.sent).hasSize(1);

        // A late answer to the first send changes nothing now that a newer send stands.
        assertThat(new InvitationStore(table).recordDelivery(stored, Delivery.sent("msg-late", NOW), moving.instant()))
                .isEqualTo(InvitationStore.Recorded.SUPERSEDED);
        assertThat(queries.get(ADMIN, org.id(), id).delivery().messageId()).isEqualTo("msg-1");
        // SES's reports find the recovered send by its message id.
        DeliveryFeedback feedback = new DeliveryFeedback(new InvitationStore(table), new OrgStore(table), new AuditLog(),
                email, new EmailTemplates(), moving);
        assertThat(feedback.record("msg-1", Delivery.Status.BOUNCED, "SES bounce: Permanent/General", null)).isEqualTo("recorded");
        assertThat(queries.get(ADMIN, org.id(), id).delivery().status()).isEqualTo(Delivery.Status.BOUNCED);
    }

    @Test
    void sesReportsMoveTheDeliveryForwardOnlyAndTheListFiltersByIt() {
        InvitationService service = new InvitationService(new InvitationStore(table), new OrgStore(table),
                new MemberAccess(table, clock), new AuditLog(), message -> "msg-d", new EmailTemplates(), "https://t.example", clock);
        String id = service.invite(ADMIN, org.id(), body("dee@partner.example"), ORIGIN).invitation().id();
        DeliveryFeedback feedback = new DeliveryFeedback(new InvitationStore(table), new OrgStore(table), new AuditLog(),
                message -> "n", new EmailTemplates(), clock);
        InvitationQueries queries = new InvitationQueries(new InvitationStore(table), new MemberAccess(table, clock), clock);
        Instant delayedAt = NOW.plusSeconds(60);
        Instant deliveredAt = NOW.plusSeconds(600);

        assertThat(feedback.record("msg-d", Delivery.Status.DELAYED, "SES delivery delay: MailboxFull", delayedAt)).isEqualTo("recorded");
        assertThat(queries.list(ADMIN, org.id(), "pending", "delayed", 10, null).items()).extracting(Invitation::id).containsExactly(id);
        assertThat(feedback.record("msg-d", Delivery.Status.DELIVERED, null, deliveredAt)).isEqualTo("recorded");
        // A delay reported after the delivery is older news: it changes nothing.
        assertThat(feedback.record("msg-d", Delivery.Status.DELAYED, "SES delivery delay: MailboxFull", delayedAt)).isEqualTo("ignored");
        assertThat(feedback.record("msg-d", Delivery.Status.DELIVERED, null, deliveredAt)).isEqualTo("ignored");
        Delivery delivered = queries.get(ADMIN, org.id(), id).delivery();
        assertThat(delivered.status()).isEqualTo(Delivery.Status.DELIVERED);
        assertThat(delivered.since()).isEqualTo(deliveredAt);
        assertThat(queries.list(ADMIN, org.id(), "pending", "delivered", 10, null).items()).extracting(Invitation::id).containsExactly(id);
        assertThat(queries.list(ADMIN, org.id(), "pending", "delayed", 10, null).items()).isEmpty();
        // A complaint comes after its delivery.
        assertThat(feedback.record("msg-d", Delivery.Status.COMPLAINED, "SES complaint: abuse", null)).isEqualTo("recorded");
        assertThat(queries.get(ADMIN, org.id(), id).delivery().status()).isEqualTo(Delivery.Status.COMPLAINED);
        assertThatThrownBy(() -> queries.list(ADMIN, org.id(), "pending", "read", 10, null))
                .isInstanceOf(io.tenure.error.ValidationFailedException.class);
    }

    @Test
    void aSendStartsAsSendingInTheSameWriteAsTheInvitation() {
        boolean[] seen = {false};
        io.tenure.email.EmailSender looking = message -> {
            // While SES is being called, the stored invitation already says a send was started.
            Invitation during = new InvitationStore(table).list(org.id(), null, null, NOW, 10, null).items().get(0);
            seen[0] = during.delivery().status() == Delivery.Status.SENDING && NOW.equals(during.delivery().since());
            return "msg-x";
        };
        InvitationService service = new InvitationService(new InvitationStore(table), new OrgStore(table),
                new MemberAccess(table, clock), new AuditLog(), looking, new EmailTemplates(), "https://t.example", clock);

        Invitation invitation = service.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN).invitation();
        assertThat(seen[0]).isTrue();
        assertThat(invitation.delivery()).isEqualTo(Delivery.sent("msg-x", NOW));
    }

    @Test
    void aRetryOfTheRequestThatMadeTheInvitationAnswersWithItInsteadOfAConflict() {
        TestClock moving = new TestClock(NOW);
        boolean[] killed = {true};
        io.tenure.email.EmailSender dying = message -> {
            if (killed[0]) {
                throw new FunctionKilled();
            }
            return email.send(message);
        };
        InvitationService service = new InvitationService(new InvitationStore(table), new OrgStore(table),
                new MemberAccess(table, moving), new AuditLog(), dying, new EmailTemplates(), "https://t.example", moving);
        assertThatThrownBy(() -> service.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN, "rk-1")).isInstanceOf(FunctionKilled.class);
        killed[0] = false;
        moving.advance(java.time.Duration.ofSeconds(60)); // the idempotency claim lapsed; the client retries

        InviteResult retried = service.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN, "rk-1");
        assertThat(retried.invitation().delivery().status()).isEqualTo(Delivery.Status.SENDING);
        assertThat(retried.warnings()).extracting(Warning::code).contains("email_not_confirmed");
        assertThat(email.sent).isEmpty();
        // Another request for the address is still a conflict naming that invitation.
        assertThatThrownBy(() -> service.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN, "rk-2"))
                .isInstanceOfSatisfying(InvitationPendingException.class,
                        e -> assertThat(e.invitationId()).isEqualTo(retried.invitation().id()));

        // A retried replaceExisting does not replace the invitation its own first attempt made.
        ObjectNode replace = body("ana@partner.io");
        replace.put("replaceExisting", true);
        killed[0] = true;
        assertThatThrownBy(() -> service.invite(ADMIN, org.id(), replace, ORIGIN, "rk-3")).isInstanceOf(FunctionKilled.class);
        killed[0] = false;
        moving.advance(java.time.Duration.ofSeconds(60));
        String replacement = service.invite(ADMIN, org.id(), replace, ORIGIN, "rk-3").invitation().id();
        assertThat(replacement).isNotEqualTo(retried.invitation().id());
        assertThat(new InvitationStore(table).find(org.id(), retried.invitation().id()).orElseThrow().status().json()).isEqualTo("revoked");
        assertThat(new InvitationStore(table).find(org.id(), replacement).orElseThrow().status().json()).isEqualTo("pending");
        assertThat(service.invite(ADMIN, org.id(), replace, ORIGIN, "rk-3").invitation().id()).isEqualTo(replacement);
        assertThat(new InvitationStore(table).find(org.id(), replacement).orElseThrow().status().json()).isEqualTo("pending");
    }

    /** Stands for the Lambda runtime stopping the function: nothing after it runs. */
    private static final class FunctionKilled extends Error {
    }

    private InvitationService service(Clock at) {
        return new InvitationService(new InvitationStore(table), new OrgStore(table), new MemberAccess(table, at),
                new AuditLog(), email, new EmailTemplates(), "https://t.example", at);
    }

    private ObjectNode body(String address) {
        ObjectNode body = Json.object();
        body.put("email", address);
        body.put("orgRole", "member");
        body.putArray("projects").addObject().put("projectId", project.id()).put("role", "analyst");
        body.putObject("note").put("engagement", "Q4 dashboard").put("justification", "Builds the Q4 dashboards");
        body.put("accessEndsAt", NOW.plusSeconds(90L * 86400).toString());
        return body;
    }
}
