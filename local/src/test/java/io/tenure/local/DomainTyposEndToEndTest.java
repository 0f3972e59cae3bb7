package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Domain typos caught at the invite (issue 15), end to end on the local stack: an address one
 * letter from the domain of the org's members, or from a common mailbox provider, is invited with a
 * {@code possible_typo} warning naming the address probably meant; single and batch invites alike;
 * an org's allowed-domain refusal names it too. A domain the org knows is never a typo.
 */
class DomainTyposEndToEndTest {
    private final LocalStack stack = SharedStack.get();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String[] admin = TestHttp.bearer(stack, "typo-admin-" + run + "@acme.example");

    @Test
    @SuppressWarnings("unchecked")
    void anAddressOneLetterFromAKnownDomainIsInvitedWithTheAddressProbablyMeant() {
        String orgId = ok(201, TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"Typo Analytics\"}", admin)).json().get("id").toString();
        String web = ok(201, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin)).json().get("id").toString();
        // A member at partner.example makes the domain known (it is noted when they accept).
        String first = "first-" + run + "@partner.example";
        ok(201, invite(orgId, web, first));
        ok(200, TestHttp.post(stack.baseUrl() + "/invitations/accept", "{\"token\":\"" + Invitations.tokenFromEmail(stack, first) + "\"}"));

        Map<String, Object> typo = ok(201, invite(orgId, web, "ana-" + run + "@partnr.example")).json();
        List<Map<String, Object>> warnings = (List<Map<String, Object>>) typo.get("warnings");
        assertThat(warnings).filteredOn(w -> "possible_typo".equals(w.get("code"))).singleElement()
                .satisfies(w -> {
                    assertThat(w.get("suggestion")).isEqualTo("ana-" + run + "@partner.example");
                    assertThat(w.get("message").toString()).contains("partnr.example").contains("partner.example");
                });
        Map<String, Object> provider = ok(201, invite(orgId, web, "bob-" + run + "@gmial.com")).json();
        assertThat((List<Map<String, Object>>) provider.get("warnings")).filteredOn(w -> "possible_typo".equals(w.get("code")))
                .extracting(w -> w.get("suggestion")).containsExactly("bob-" + run + "@gmail.com");
        Map<String, Object> right = ok(201, invite(orgId, web, "cy-" + run + "@partner.example")).json();
        assertThat((List<Map<String, Object>>) right.get("warnings")).noneMatch(w -> "possible_typo".equals(w.get("code")));

        // A batch line gets it as a single invite does.
        Map<String, Object> batch = ok(207, TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations/batch",
                "{\"invitations\":[" + line(web, "dee-" + run + "@partner.exmaple") + "," + line(web, "eve-" + run + "@partner.example") + "]}",
                admin)).json();
        List<Map<String, Object>> results = (List<Map<String, Object>>) batch.get("results");
        assertThat(results).extracting(r -> r.get("status")).containsExactly(201, 201);
        assertThat((List<Map<String, Object>>) ((Map<String, Object>) results.get(0).get("invitation")).get("warnings"))
                .extracting(w -> w.get("code")).contains("possible_typo");
        assertThat((List<Map<String, Object>>) ((Map<String, Object>) results.get(1).get("invitation")).get("warnings"))
                .extracting(w -> w.get("code")).doesNotContain("possible_typo");

        // An allowed-domain refusal names the allowed domain probably meant.
        ok(200, TestHttp.send("PATCH", stack.baseUrl() + "/orgs/" + orgId, "{\"settings\":{\"allowedEmailDomains\":[\"agency.com\",\"partner.example\"]}}",
                admin));
        TestHttp.Response refused = invite(orgId, web, "fay-" + run + "@agency.co");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("/email").contains("did you mean fay-" + run + "@agency.com?");
    }

    private TestHttp.Response invite(String orgId, String projectId, String email) {
        return TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/invitations", line(projectId, email), admin);
    }

    private static String line(String projectId, String email) {
        return "{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + projectId + "\",\"role\":\"viewer\"}]}";
    }

    private static TestHttp.Response ok(int status, TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response;
    }
}
