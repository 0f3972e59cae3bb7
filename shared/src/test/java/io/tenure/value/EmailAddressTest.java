package io.tenure.value;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"ana@example.com", "Ana.Lopez+analytics@Example.co.uk", "o'neil@example.io", " ana@example.com "})
    void acceptsPlainAddresses(String email) {
        assertThat(EmailAddress.problem(email)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ana@example.com\r\nBcc: x@evil.com", "ana@example.com\n", "Ana <ana@example.com>",
            "ana", "ana@", "@example.com", "ana@@example.com", "ana@example", "ana..lopez@example.com",
            ".ana@example.com", "ana@-example.com", "ana@example.c0m", "ana lopez@example.com", ""})
    void refusesAnythingElse(String email) {
        assertThat(EmailAddress.problem(email)).isNotNull();
    }

    @Test
    void enforcesRfc5321Lengths() {
        String local64 = "a".repeat(64);
        assertThat(EmailAddress.problem(local64 + "@example.com")).isNull();
        assertThat(EmailAddress.problem(local64 + "a@example.com")).contains("64");
        String longDomain = ("d".repeat(60) + ".").repeat(5) + "com";
        assertThat(EmailAddress.problem("a@" + longDomain)).isNotNull();
        assertThat(EmailAddress.problem("a".repeat(64) + "@" + ("d".repeat(60) + ".").repeat(3) + "ddd.com")).contains("254");
    }

    @Test
    void lineBreaksAreNamedAsSuch() {
        assertThat(EmailAddress.problem("ana@example.com\r\n")).contains("line breaks");
    }

    /** Found by the contract check: a NUL or tab at the end was trimmed off and the address taken. */
    @Test
    void aControlCharacterAtEitherEndIsRefusedNotTrimmed() {
        assertThat(EmailAddress.problem("x@partner.example\u0000")).contains("control characters");
        assertThat(EmailAddress.problem("\tx@partner.example")).contains("control characters");
        assertThat(EmailAddress.problem("  x@partner.example ")).as("spaces around a pasted address are trimmed").isNull();
    }

    @Test
    void canonicalFormFindsVariantsOfOneMailbox() {
        assertThat(EmailAddress.canonical("Ana.Lopez+tenure@GoogleMail.com")).isEqualTo("analopez@gmail.com");
        assertThat(EmailAddress.canonical("ana.lopez@gmail.com")).isEqualTo("analopez@gmail.com");
        assertThat(EmailAddress.canonical("Ana.Lopez+x@example.com")).isEqualTo("ana.lopez@example.com");
        // On an org's SSO domain, first.last and firstlast are one person's (issue 15).
        assertThat(EmailAddress.canonical("Ana.Lopez+x@Acme.example", java.util.Set.of("acme.example"))).isEqualTo("analopez@acme.example");
        assertThat(EmailAddress.canonical("Ana.Lopez+x@partner.example", java.util.Set.of("acme.example"))).isEqualTo("ana.lopez@partner.example");
        assertThat(EmailAddress.key(" Ana@Example.com ")).isEqualTo("ana@example.com");
    }
}
