package io.tenure.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenure.error.ValidationFailedException;
import io.tenure.json.Json;
import org.junit.jupiter.api.Test;

class BodyReaderTest {
    @Test
    void namesWithControlCharactersAreRefusedNamingTheField() {
        for (String name : new String[] {"Acme\u0000", "Acme\nBcc: x@evil.com", "A\tB", "Acme\u007f", "Acme\u0085"}) {
            BodyReader in = new BodyReader(body("name", name));
            assertThat(in.text("name", 1, 100, true)).isNull();
            assertThatThrownBy(in::throwIfInvalid).isInstanceOfSatisfying(ValidationFailedException.class,
                    e -> assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.pointer()).isEqualTo("/name")));
        }
    }

    @Test
    void longFreeTextKeepsLineBreaksButNotOtherControls() {
        BodyReader in = new BodyReader(body("justification", "Line one\r\nLine two\tend"));
        assertThat(in.text("justification", 1, 1000, true)).isEqualTo("Line one\r\nLine two\tend");
        assertThat(in.hasErrors()).isFalse();
        in.text(body("justification", "a\u0000b"), "/justification", "justification", 1, 1000, true);
        assertThat(in.hasErrors()).isTrue();
        BodyReader plain = new BodyReader(body("name", "Acme – 日本語の組織"));
        assertThat(plain.text("name", 1, 100, true)).isEqualTo("Acme – 日本語の組織");
    }

    @Test
    void wholeNumbersPastLongAreRefusedNotWrapped() throws Exception {
        // 2^64 + 7 wraps to 7 when read as a long; the fuzzer sent it as expiresInDays and got a 7-day invitation
        for (String number : new String[] {"18446744073709551623", "-18446744073709551609", "9223372036854775808"}) {
            BodyReader in = new BodyReader((ObjectNode) Json.MAPPER.readTree("{\"expiresInDays\": " + number + "}"));
            assertThat(in.integer("expiresInDays", 1, 30, 14)).isEqualTo(14);
            assertThatThrownBy(in::throwIfInvalid).isInstanceOfSatisfying(ValidationFailedException.class,
                    e -> assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.pointer()).isEqualTo("/expiresInDays")));
        }
        BodyReader fine = new BodyReader((ObjectNode) Json.MAPPER.readTree("{\"expiresInDays\": 30}"));
        assertThat(fine.integer("expiresInDays", 1, 30, 14)).isEqualTo(30);
        assertThat(fine.hasErrors()).isFalse();
    }

    private static ObjectNode body(String field, String value) {
        ObjectNode body = Json.object();
        body.put(field, value);
        return body;
    }
}
