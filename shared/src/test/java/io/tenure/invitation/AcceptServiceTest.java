package io.tenure.invitation;

import static io.tenure.TestJson.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.audit.AuditLog;
import io.tenure.audit.RequestOrigin;
import io.tenure.email.EmailTemplates;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** AcceptService's handling of the token and its answer, on DynamoDB Local. */
class AcceptServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-24T09:00:00Z");
    private static final Caller ADMIN = new Caller("sub-admin", "admin@acme.com", "admin@acme.com", true);
    private static final RequestOrigin ORIGIN = new RequestOrigin("req-1", "127.0.0.1", "test");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final FakeEmailSender email = new FakeEmailSender();
    private final Table table = TestTable.create();
    private final OrgStore orgStore = new OrgStore(table);
    private final MemberAccess access = new MemberAccess(table, clock);
    private final AuditLog audit = new AuditLog();
    private final OrgService orgs = new OrgService(orgStore, new MemberStore(table), access, audit, clock);
    private final InvitationService invitations = new InvitationService(new InvitationStore(table), orgStore, access, audit, email,
            new EmailTemplates(), "https://tenure.example.com/", clock);
    private final AcceptService accept = new AcceptService(new InvitationStore(table), orgStore, new MemberStore(table),
            audit, email, new EmailTemplates(), clock);
    private final Organization org = orgs.create(ADMIN, json("{\"name\":\"Acme Analytics\"}"), ORIGIN);
    private final Project project = orgs.createProject(ADMIN, org.id(), json("{\"name\":\"Web app\"}"), ORIGIN);

    @Test
    void aTokenWithSurroundingWhitespaceAcceptsThePendingInvitation() {
        String token = invite("ana@partner.io");
        assertThat(accept.preview("  " + token + "\n").invitation().status().json()).isEqualTo("pending");
        Accepted accepted = accept.accept(" " + token + "\r\n", ORIGIN);
        assertThat(accepted.member().email()).isEqualTo("ana@partner.io");
    }

    @Test
    void theJsonAnswerIsAMinimalViewWithoutTheNoteOrStakeholders() {
        Accepted accepted = accept.accept(invite("bo@partner.io"), ORIGIN);
        String answer = Json.write(AcceptService.answer(accepted));
        assertThat(Json.tree(AcceptService.answer(accepted)).fieldNames()).toIterable()
                .containsExactly("id", "orgId", "orgName", "email", "orgRole", "projects", "accessEndsAt", "status");
        assertThat(answer).contains(accepted.member().id()).contains("Acme Analytics")
                .doesNotContain("Builds the Q4 dashboards").doesNotContain("stakeholder@acme.com").doesNotContain("admin@acme.com");
    }

    private String invite(String address) {
        ObjectNode body = Json.object();
        body.put("email", address);
        body.put("orgRole", "member");
        body.putArray("projects").addObject().put("projectId", project.id()).put("role", "analyst");
        body.putArray("stakeholders").add("stakeholder@acme.com");
        body.putObject("note").put("engagement", "Q4 dashboard").put("justification", "Builds the Q4 dashboards");
        body.put("accessEndsAt", NOW.plusSeconds(90L * 86400).toString());
        invitations.invite(ADMIN, org.id(), body, ORIGIN);
        String text = email.sent.get(email.sent.size() - 1).text();
        Matcher link = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_-]{43})").matcher(text);
        assertThat(link.find()).isTrue();
        return link.group(1);
    }
}
