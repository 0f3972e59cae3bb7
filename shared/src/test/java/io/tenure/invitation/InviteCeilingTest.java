package io.tenure.invitation;

import static io.tenure.TestJson.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.TestClock;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
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
import io.tenure.store.TableKeys;
import io.tenure.store.TestTable;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The deployment's daily ceiling of invitation emails (template DailyInviteCeiling), on DynamoDB
 * Local: new invitations and resends of every org count together; beyond the ceiling they answer
 * 429 with Retry-After until midnight UTC and store nothing; the next UTC day starts again.
 */
class InviteCeilingTest {
    private static final Instant NOW = Instant.parse("2026-11-24T21:00:00Z");
    private static final Caller ALICE = new Caller("sub-alice", "alice@acme.com", "alice@acme.com", true);
    private static final Caller BOB = new Caller("sub-bob", "bob@globex.com", "bob@globex.com", true);
    private static final RequestOrigin ORIGIN = new RequestOrigin("req-1", "127.0.0.1", "test");

    private final TestClock clock = new TestClock(NOW);
    private final FakeEmailSender email = new FakeEmailSender();
    private final Table table = TestTable.create();
    private final OrgStore orgStore = new OrgStore(table);
    private final MemberAccess access = new MemberAccess(table, clock);
    private final AuditLog audit = new AuditLog();
    private final OrgService orgs = new OrgService(orgStore, new MemberStore(table), access, audit, clock);
    private final InvitationService invitations = new InvitationService(new InvitationStore(table), orgStore, access, audit,
            email, new EmailTemplates(), "https://tenure.example.com", clock, 3);
    private final Organization acme = orgs.create(ALICE, json("{\"name\":\"Acme\"}"), ORIGIN);
    private final Project acmeWeb = orgs.createProject(ALICE, acme.id(), json("{\"name\":\"Web\"}"), ORIGIN);
    private final Organization globex = orgs.create(BOB, json("{\"name\":\"Globex\"}"), ORIGIN);
    private final Project globexWeb = orgs.createProject(BOB, globex.id(), json("{\"name\":\"Web\"}"), ORIGIN);

    @Test
    void invitationsOfEveryOrgCountTogetherAndBeyondTheCeilingAre429UntilMidnight() {
        invitations.invite(ALICE, acme.id(), body("a1@partner.io", acmeWeb), ORIGIN);
        invitations.invite(ALICE, acme.id(), body("a2@partner.io", acmeWeb), ORIGIN);
        invitations.invite(BOB, globex.id(), body("b1@partner.io", globexWeb), ORIGIN);

        assertThatThrownBy(() -> invitations.invite(BOB, globex.id(), body("b2@partner.io", globexWeb), ORIGIN))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.retryAfterSeconds()).as("until midnight UTC").isEqualTo(3 * 3600);
                    assertThat(e.getMessage()).contains("midnight UTC");
                });
        assertThat(email.sent).as("no email beyond the ceiling").hasSize(3);
        assertThat(new InvitationStore(table).pendingHold(globex.id(), "b2@partner.io")).as("nothing stored").isEmpty();

        clock.set(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(invitations.invite(BOB, globex.id(), body("b2@partner.io", globexWeb), ORIGIN).invitation().status().json())
                .isEqualTo("pending");
    }

    @Test
    void eachInvitationOfABatchCountsAndTheOnesBeyondTheCeilingAreRefusedAlone() {
        InvitationService.Batch batch = invitations.batch(ALICE, acme.id());
        int made = 0;
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            try {
                batch.invite(body("batch" + i + "@partner.io", acmeWeb), ORIGIN);
                made++;
            } catch (RateLimitedException beyond) {
                refused++;
            }
        }
        assertThat(made).isEqualTo(3);
        assertThat(refused).isEqualTo(2);
    }

    @Test
    void resendsCountAgainstTheCeilingToo() {
        String id = invitations.invite(ALICE, acme.id(), body("r@partner.io", acmeWeb), ORIGIN).invitation().id();
        clock.advance(Duration.ofMinutes(2));
        invitations.resend(ALICE, acme.id(), id, ORIGIN);
        clock.advance(Duration.ofMinutes(2));
        invitations.resend(ALICE, acme.id(), id, ORIGIN);
        clock.advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> invitations.resend(ALICE, acme.id(), id, ORIGIN)).isInstanceOf(RateLimitedException.class);
        assertThat(email.sent).hasSize(3);
        assertThat(new InvitationStore(table).find(acme.id(), id).orElseThrow().sendCount()).as("the refused resend changed nothing")
                .isEqualTo(3);
        assertThat(table.get(TableKeys.AccountInviteQuota.pk(), TableKeys.AccountInviteQuota.sk("2026-11-24")))
                .hasValueSatisfying(item -> assertThat(item.get("count").n()).isEqualTo("3"));
    }

    private static ObjectNode body(String address, Project project) {
        ObjectNode body = Json.object();
        body.put("email", address);
        body.put("orgRole", "member");
        body.putArray("projects").addObject().put("projectId", project.id()).put("role", "analyst");
        body.putObject("note").put("engagement", "Q4 dashboard").put("justification", "Builds the Q4 dashboards");
        body.put("accessEndsAt", NOW.plusSeconds(90L * 86400).toString());
        return body;
    }
}
