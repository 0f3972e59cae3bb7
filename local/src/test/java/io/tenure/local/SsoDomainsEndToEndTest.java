package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * SSO domains (issue 15): an address on one signs in with the org's SSO, and is told so in the
 * invitation email, on the accept pages and in the welcome email; an address outside them, in an
 * org that signs in with SSO, is invited with a warning saying how it will sign in.
 */
class SsoDomainsEndToEndTest {
    private final LocalStack stack = SharedStack.get();

    @Test
    @SuppressWarnings("unchecked")
    void anSsoDomainAddressIsSentTheSsoLoginAndAnOutsideAddressIsWarned() {
        String[] admin = TestHttp.bearer(stack, "sso-admin-" + UUID.randomUUID() + "@acme.example");
        String orgId = (String) TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Sso Co\"}", admin).json().get("id");
        TestHttp.Response refused = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId,
                "{\"settings\":{\"ssoDomains\":[\"not a domain\"],\"ssoLoginUrl\":\"ftp://x\"}}", admin);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("/settings/ssoDomains/0").contains("/settings/ssoLoginUrl");
        TestHttp.Response set = TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId, "{\"settings\":{\"ssoDomains\":[\"ACME.example\"],"
                + "\"loginMethod\":\"sso\",\"loginUrl\":\"https://analytics.example/login\",\"ssoLoginUrl\":\"https://sso.acme.example/start\"}}", admin);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat((Map<String, Object>) set.json().get("settings")).containsEntry("ssoDomains", List.of("acme.example"));

        String id = UUID.randomUUID().toString().substring(0, 8);
        String dev = "dev.op" + id + "@acme.example";
        TestHttp.Response inside = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + dev
                + "\",\"orgRole\":\"admin\"}", admin);
        assertThat(inside.status()).as(inside.body()).isEqualTo(201);
        assertThat(codes(inside)).doesNotContain("outside_sso_domain");
        String invitation = SesMailbox.text(SesMailbox.emailsTo(stack.sesUrl(), dev).get(0));
        assertThat(invitation).contains("single sign-on").contains("https://sso.acme.example/start");
        String token = Invitations.tokenFromEmail(stack, dev);
        assertThat(TestHttp.get(stack.baseUrl() + "/invitations/accept?token=" + token, "Accept", "text/html").body()).contains("single sign-on");
        TestHttp.Response accepted = TestHttp.send("POST", stack.baseUrl() + "/invitations/accept?token=" + token, "",
                "Accept", "text/html", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.body()).contains("https://sso.acme.example/start");
        String welcome = SesMailbox.emailsTo(stack.sesUrl(), dev).stream().filter(e -> String.valueOf(e.get("subject")).startsWith("Welcome"))
                .map(SesMailbox::text).findFirst().orElseThrow();
        assertThat(welcome).contains("https://sso.acme.example/start").contains("single sign-on");

        // On an SSO domain, an address that differs only by dots, case or a +tag is the same person's.
        TestHttp.Response variant = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"DevOp" + id
                + "+x@acme.example\",\"orgRole\":\"admin\"}", admin);
        assertThat(variant.status()).as(variant.body()).isEqualTo(201);
        assertThat(codes(variant)).contains("possible_duplicate");
        assertThat(variant.body()).contains(dev);
        assertThat(TestHttp.get(stack.baseUrl() + "/orgs/" + orgId + "/members/duplicates", admin).body())
                .contains("devop" + id + "@acme.example").contains(dev);

        String ana = "ana-" + UUID.randomUUID() + "@partner.example";
        TestHttp.Response outside = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", "{\"email\":\"" + ana
                + "\",\"orgRole\":\"admin\"}", admin);
        assertThat(outside.status()).as(outside.body()).isEqualTo(201);
        assertThat(codes(outside)).contains("outside_sso_domain");
        assertThat(outside.body()).contains("email and password").contains("https://analytics.example/login");
        assertThat(SesMailbox.text(SesMailbox.emailsTo(stack.sesUrl(), ana).get(0)))
                .contains("email and password").contains("https://analytics.example/login").doesNotContain("sso.acme.example");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> codes(TestHttp.Response invite) {
        return ((List<Map<String, Object>>) invite.json().get("warnings")).stream().map(w -> w.get("code")).toList();
    }
}
