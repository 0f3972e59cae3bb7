package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment-wide daily ceiling of invitation emails, the template's DailyInviteCeiling, on a
 * stack of its own started with that parameter at 3: two orgs share it; a batch's invitations past
 * it are refused one by one with 429 in the 207; a resend past it is 429 with Retry-After; the next
 * UTC day starts again.
 */
class InviteCeilingEndToEndTest {
    private static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(LocalStack.Options.defaults().port(0).sesPort(0).schedules(false)
                .root(ProjectFiles.root()).parameter("DailyInviteCeiling", "3"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theCeilingIsSharedByEveryOrgAndCountsBatchesAndResends() {
        Instant now = stack.clock().instant();
        // Start the day at 20:00 UTC, so every step of this test falls in one UTC day.
        stack.clock().set(LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atTime(20, 0).toInstant(ZoneOffset.UTC));
        Org acme = org("Acme");
        Org globex = org("Globex");

        TestHttp.Response invited = invite(acme, "a1-" + UUID.randomUUID() + "@partner.example");
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        String first = (String) invited.json().get("id");
        TestHttp.Response batch = TestHttp.post(stack.baseUrl() + "/orgs/" + globex.id() + "/invitations/batch",
                "{\"invitations\":[" + invitation(globex, "b1-" + UUID.randomUUID() + "@partner.example") + ","
                        + invitation(globex, "b2-" + UUID.randomUUID() + "@partner.example") + ","
                        + invitation(globex, "b3-" + UUID.randomUUID() + "@partner.example") + "]}", globex.admin());
        assertThat(batch.status()).as(batch.body()).isEqualTo(207);
        List<?> results = (List<?>) batch.json().get("results");
        assertThat(results.stream().map(r -> (Object) ((Map<?, ?>) r).get("status")).toList())
                .containsExactly(201, 201, 429);
        Map<?, ?> problem = (Map<?, ?>) ((Map<?, ?>) results.get(2)).get("problem");
        assertThat(problem.get("code")).isEqualTo("rate_limited");

        stack.clock().advance(Duration.ofMinutes(2));
        TestHttp.Response resend = TestHttp.post(stack.baseUrl() + "/orgs/" + acme.id() + "/invitations/" + first + "/resend",
                null, acme.admin());
        assertThat(resend.status()).as(resend.body()).isEqualTo(429);
        assertThat(resend.header("content-type")).isEqualTo("application/problem+json");
        assertThat(Long.parseLong(resend.header("retry-after"))).as("until midnight UTC").isBetween(4 * 3600 - 300L, 4 * 3600L);

        stack.clock().advance(Duration.ofHours(4));
        assertThat(invite(acme, "a2-" + UUID.randomUUID() + "@partner.example").status()).as("a new UTC day").isEqualTo(201);
    }

    private record Org(String id, String projectId, String[] admin) {
    }

    private static Org org(String name) {
        String[] admin = TestHttp.bearer(stack, "ceiling-" + UUID.randomUUID() + "@acme.example");
        TestHttp.Response org = TestHttp.post(stack.baseUrl() + "/orgs", "{\"name\":\"" + name + "\"}", admin);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        String orgId = (String) org.json().get("id");
        TestHttp.Response project = TestHttp.post(stack.baseUrl() + "/orgs/" + orgId + "/projects", "{\"name\":\"Web\"}", admin);
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        return new Org(orgId, (String) project.json().get("id"), admin);
    }

    private static String invitation(Org org, String email) {
        return "{\"email\":\"" + email + "\",\"orgRole\":\"member\",\"projects\":[{\"projectId\":\"" + org.projectId()
                + "\",\"role\":\"analyst\"}]}";
    }

    private static TestHttp.Response invite(Org org, String email) {
        return TestHttp.post(stack.baseUrl() + "/orgs/" + org.id() + "/invitations", invitation(org, email), org.admin());
    }
}
