package io.tenure.invitation;

import static io.tenure.TestJson.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.TestClock;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.email.EmailMessage;
import io.tenure.email.EmailSender;
import io.tenure.email.EmailTemplates;
import io.tenure.error.RateLimitedException;
import io.tenure.json.Json;
import io.tenure.access.Caller;
import io.tenure.access.MemberAccess;
import io.tenure.access.MemberStore;
import io.tenure.org.OrgService;
import io.tenure.org.OrgStore;
import io.tenure.org.Organization;
import io.tenure.org.Project;
import io.tenure.store.Table;
import io.tenure.store.TestTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A resend keeps the invitee's link working until SES takes the new email, and a send SES refuses
 * does not count against the resend limits (issue 9 item 3). On DynamoDB Local.
 */
class ResendLinkTest {
    private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");
    private static final Caller ADMIN = new Caller("sub-admin", "admin@acme.com", "admin@acme.com", true);
    private static final RequestOrigin ORIGIN = new RequestOrigin("req-1", "127.0.0.1", "test");
    private static final Pattern TOKEN = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_-]{43})");

    private final TestClock clock = new TestClock(NOW);
    private final FakeEmailSender email = new FakeEmailSender();
    private final Table table = TestTable.create();
    private final OrgStore orgStore = new OrgStore(table);
    private final AuditLog audit = new AuditLog();
    private final OrgService orgs = new OrgService(orgStore, new MemberStore(table), new MemberAccess(table, clock), audit, clock);
    private final AcceptService accept = new AcceptService(new InvitationStore(table), orgStore, new MemberStore(table),
            audit, email, new EmailTemplates(), clock);
    private final Organization org = orgs.create(ADMIN, json("{\"name\":\"Acme Analytics\"}"), ORIGIN);
    private final Project project = orgs.createProject(ADMIN, org.id(), json("{\"name\":\"Web app\"}"), ORIGIN);

    private InvitationService service(EmailSender sender) {
        return new InvitationService(new InvitationStore(table), orgStore, new MemberAccess(table, clock), audit, sender,
                new EmailTemplates(), "https://t.example", clock);
    }

    @Test
    void aResendSesRefusesKeepsTheOldLinkAndIsNotCountedAsASend() {
        InvitationService invitations = service(email);
        String id = invitations.invite(ADMIN, org.id(), body("ana@partner.io"), ORIGIN).invitation().id();
        String oldToken = lastToken();
        clock.advance(Duration.ofMinutes(2));

        email.down = true;
        Invitation failed = invitations.resend(ADMIN, org.id(), id, ORIGIN);

        assertThat(failed.delivery().status()).isEqualTo(Delivery.Status.FAILED);
        assertThat(failed.lastSentAt()).isEqualTo(NOW);
        assertThat(new InvitationStore(table).find(org.id(), id).orElseThrow().lastSentAt()).isEqualTo(NOW);
        assertThat(accept.preview(oldToken).invitation().id()).isEqualTo(id);

        // Not counted: no minute to wait before the next try.
        email.down = false;
        Invitation sent = invitations.resend(ADMIN, org.id(), id, ORIGIN);
        assertThat(sent.delivery().status()).isEqualTo(Delivery.Status.SENT);
        String newToken = lastToken();
        assertThat(newToken).isNotEqualTo(oldToken);
        // Taken by SES: the new link replaces the old one.
        assertThatThrownBy(() -> accept.preview(oldToken)).isInstanceOfSatisfying(InvitationGoneException.class,
                e -> assertThat(e.reason()).isEqualTo(InvitationGoneException.Reason.REPLACED));
        assertThat(accept.accept(newToken, ORIGIN).member().email()).isEqualTo("ana@partner.io");
    }

    @Test
    void refusedResendsDoNotUseUpTheDailyLimit() {
        InvitationService invitations = service(email);
        String id = invitations.invite(ADMIN, org.id(), body("bo@partner.io"), ORIGIN).invitation().id();
        String oldToken = lastToken();

        email.down = true;
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofMinutes(2));
            assertThat(invitations.resend(ADMIN, org.id(), id, ORIGIN).delivery().status()).isEqualTo(Delivery.Status.FAILED);
        }
        email.down = false;
        for (int send = 2; send <= 5; send++) { // the invite's own send is the first of the day
            clock.advance(Duration.ofMinutes(2));
            assertThat(invitations.resend(ADMIN, org.id(), id, ORIGIN).delivery().status()).isEqualTo(Delivery.Status.SENT);
        }
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> invitations.resend(ADMIN, org.id(), id, ORIGIN)).isInstanceOf(RateLimitedException.class);
        assertThat(email.sent).hasSize(5);
        assertThat(oldToken).isNotEqualTo(lastToken());
    }

    @Test
    void anInviteWhoseEmailSesRefusedCanBeResentAtOnceAndFiveTimesThatDay() {
        InvitationService invitations = service(email);
        email.down = true;
        InviteResult invited = invitations.invite(ADMIN, org.id(), body("di@partner.io"), ORIGIN);
        assertThat(invited.invitation().delivery().status()).isEqualTo(Delivery.Status.FAILED);
        String id = invited.invitation().id();

        // The admin told email_not_sent resends at once: the refused send held nothing back.
        email.down = false;
        clock.advance(Duration.ofSeconds(5));
        assertThat(invitations.resend(ADMIN, org.id(), id, ORIGIN).delivery().status()).isEqualTo(Delivery.Status.SENT);
        for (int send = 2; send <= 5; send++) {
            clock.advance(Duration.ofMinutes(2));
            assertThat(invitations.resend(ADMIN, org.id(), id, ORIGIN).delivery().status()).isEqualTo(Delivery.Status.SENT);
        }
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> invitations.resend(ADMIN, org.id(), id, ORIGIN)).isInstanceOf(RateLimitedException.class);
        assertThat(email.sent).hasSize(5);
    }

    @Test
    void bothLinksWorkWhileTheNewEmailIsBeingSentAndAfterASendCutShort() {
        InvitationService invitations = service(email);
        String id = invitations.invite(ADMIN, org.id(), body("cy@partner.io"), ORIGIN).invitation().id();
        String oldToken = lastToken();
        clock.advance(Duration.ofMinutes(2));
        List<String> seenDuringSend = new ArrayList<>();
        EmailSender dying = message -> {
            String newToken = token(message);
            seenDuringSend.add(accept.preview(oldToken).invitation().id());
            seenDuringSend.add(accept.preview(newToken).invitation().id());
            throw new FunctionKilled(); // the Lambda runtime stops the function mid-send
        };

        assertThatThrownBy(() -> service(dying).resend(ADMIN, org.id(), id, ORIGIN)).isInstanceOf(FunctionKilled.class);

        assertThat(seenDuringSend).containsExactly(id, id);
        // Cut short: nobody knows whether the email went, so both links still work.
        assertThat(accept.preview(oldToken).invitation().status().json()).isEqualTo("pending");
        assertThat(accept.accept(oldToken, ORIGIN).member().email()).isEqualTo("cy@partner.io");
    }

    private String lastToken() {
        return token(email.sent.get(email.sent.size() - 1));
    }

    private static String token(EmailMessage message) {
        Matcher link = TOKEN.matcher(message.text());
        assertThat(link.find()).isTrue();
        return link.group(1);
    }

    private ObjectNode body(String address) {
        ObjectNode body = Json.object();
        body.put("email", address);
        body.put("orgRole", "member");
        body.putArray("projects").addObject().put("projectId", project.id()).put("role", "analyst");
        body.put("accessEndsAt", NOW.plusSeconds(90L * 86400).toString());
        return body;
    }

    private static final class FunctionKilled extends Error {
    }
}
