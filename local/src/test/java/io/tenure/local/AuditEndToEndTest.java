package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit trail end to end: every change is there, newest first, filterable, exportable as CSV. */
class AuditEndToEndTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyChangeIsAuditedNewestFirstAndExportsAsCsv() {
        LocalStack stack = SharedStack.get();
        String[] admin = TestHttp.bearer(stack, "audit-admin-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Audit Co\"}", admin).json().get("id");
        String projectId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin[0], admin[1], "User-Agent", "=HYPERLINK(1)")
                .json().get("id");
        String invitee = "audited-" + UUID.randomUUID() + "@partner.example";
        String invitationId = (String) TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + invitee
                + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"viewer\"}]}", admin).json().get("id");
        TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + Invitations.tokenFromEmail(stack, invitee) + "\"}");

        TestHttp.Response all = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit", admin);
        assertThat(all.status()).isEqualTo(200);
        List<Map<String, Object>> items = (List<Map<String, Object>>) all.json().get("items");
        assertThat(items).extracting(i -> i.get("action"))
                .containsExactly("invitation.accepted", "invitation.created", "project.created", "org.created");

        assertThat((List<?>) TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?action=invitation.created", admin).json().get("items"))
                .hasSize(1);
        assertThat((List<?>) TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?targetId=" + invitationId, admin).json().get("items"))
                .hasSize(2);
        String future = stack.clock().instant().plus(Duration.ofDays(400)).toString();
        assertThat((List<?>) TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?since=" + future, admin).json().get("items")).isEmpty();
        TestHttp.Response page = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?limit=3", admin);
        TestHttp.Response rest = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit?limit=3&cursor=" + page.json().get("nextCursor"), admin);
        assertThat((List<Map<String, Object>>) rest.json().get("items")).extracting(i -> i.get("action")).containsExactly("org.created");

        TestHttp.Response csv = TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit", admin[0], admin[1], "Accept", "text/csv");
        assertThat(csv.header("content-type")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("id,at,actorType").contains("\"invitation.accepted\"").contains("'=HYPERLINK(1)");
        assertThat(csv.body().split("\r\n")).hasSize(5);

        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/audit", TestHttp.bearer(stack, invitee)).status()).isEqualTo(403);
    }
}
