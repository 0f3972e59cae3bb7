package io.tenure.org;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenure.json.Json;
import org.junit.jupiter.api.Test;

class SignInTest {
    private static OrgSettings settings(String json) {
        try {
            return OrgSettings.defaults().with(Json.MAPPER.readTree(json), "/settings");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void anSsoDomainAddressSignsInWithSsoAtTheSsoUrlAndOthersByTheOrgsMethod() {
        OrgSettings sso = settings("{\"ssoDomains\":[\"Acme.example\"],\"loginMethod\":\"sso\",\"loginUrl\":\"https://a.example/login\","
                + "\"ssoLoginUrl\":\"https://sso.acme.example\"}");
        assertThat(SignIn.of(sso, "dev@acme.example")).isEqualTo(new SignIn("sso", "https://sso.acme.example", false));
        assertThat(SignIn.of(sso, "ana@partner.example")).isEqualTo(new SignIn("password", "https://a.example/login", true));

        OrgSettings google = settings("{\"ssoDomains\":[\"acme.example\"],\"loginMethod\":\"google\",\"loginUrl\":\"https://a.example/login\"}");
        // No SSO URL of its own: the org's sign-in page.
        assertThat(SignIn.of(google, "dev@acme.example")).isEqualTo(new SignIn("sso", "https://a.example/login", false));
        assertThat(SignIn.of(google, "ana@partner.example")).isEqualTo(new SignIn("google", "https://a.example/login", false));
    }

    @Test
    void withoutSsoDomainsTheOrgsMethodAppliesToEveryoneAsBefore() {
        OrgSettings sso = settings("{\"loginMethod\":\"sso\",\"loginUrl\":\"https://a.example/login\"}");
        assertThat(SignIn.of(sso, "ana@partner.example")).isEqualTo(new SignIn("sso", "https://a.example/login", false));
        assertThat(SignIn.of(OrgSettings.defaults(), "ana@partner.example").instruction()).isNull();
    }
}
