package io.tenure.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenure.value.EmailAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerTest {
    @Test
    void aKelvinSignInTheTokenEmailIsNotTheLetterK() {
        Caller kelvin = Caller.fromClaims(Map.of("sub", "s", "email", "\u212Aate@Acme.com", "email_verified", "true"));
        assertThat(kelvin.emailKey()).isEqualTo("\u212Aate@acme.com").isNotEqualTo(EmailAddress.key("kate@acme.com"));
        assertThat(Caller.fromClaims(Map.of("sub", "s", "email", " Kate@ACME.com ")).emailKey()).isEqualTo("kate@acme.com");
        assertThat(EmailAddress.key("\u0130lker@acme.com")).isEqualTo("\u0130lker@acme.com");
    }
}
