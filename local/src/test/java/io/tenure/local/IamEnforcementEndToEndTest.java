package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IAM is enforced from template.yaml: on a stack started from a copy with one policy statement
 * removed, the calls that statement allowed are refused as AWS refuses them, and the user sees the
 * consequence. (The shared-stack suites run with the real template and fail on any refusal, see
 * {@link NoAccessDenied}.)
 */
class IamEnforcementEndToEndTest {
    @TempDir
    static Path folder;
    private static LocalStack stack;

    @BeforeAll
    static void startWithoutTwoStatements() throws Exception {
        String text = TemplateCopies.withoutStatement(TemplateCopies.text(), "InviteFunction", "ses:SendEmail");
        text = TemplateCopies.withoutStatement(text, "MeFunction", "dynamodb:Query");
        stack = TemplateCopies.start(folder, text);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutItsSesStatementTheInviteFunctionCannotSendAndSaysSo() {
        String[] admin = TestHttp.bearer(stack, "admin-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Acme\"}", admin).json().get("id");
        String invitee = "ana-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response invite = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations",
                "{\"email\":\"" + invitee + "\",\"orgRole\":\"admin\"}", admin);

        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        Map<String, Object> delivery = (Map<String, Object>) invite.json().get("delivery");
        assertThat(delivery).containsEntry("status", "failed");
        assertThat(String.valueOf(delivery.get("error"))).contains("AccessDeniedException");
        assertThat((List<Map<String, Object>>) invite.json().get("warnings"))
                .extracting(w -> w.get("code")).contains("email_not_sent");
        assertThat(SesMailbox.emailsTo(stack.sesUrl(), invitee)).isEmpty();
        assertThat(stack.iamDenials()).anySatisfy(d -> {
            assertThat(d.functionId()).isEqualTo("InviteFunction");
            assertThat(d.action()).isEqualTo("ses:SendEmail");
        });
    }

    @Test
    void withoutItsTableStatementMeFails() {
        TestHttp.Response me = TestHttp.get(stack.baseUrl() + "/me", TestHttp.bearer(stack, "bo@acme.example"));
        assertThat(me.status()).as(me.body()).isEqualTo(500);
        assertThat(stack.iamDenials()).anySatisfy(d -> {
            assertThat(d.functionId()).isEqualTo("MeFunction");
            assertThat(d.action()).startsWith("dynamodb:");
        });
    }
}
