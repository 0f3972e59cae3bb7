package io.tenure.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenure.error.MalformedJsonException;
import io.tenure.http.ApiRequest;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static ApiRequest post(String body) {
        return new ApiRequest("POST /orgs", "/orgs", null, null, null, body, null, "r", null, null);
    }

    @Test
    void aBodyWithOneKeyTwiceIsMalformedAndTheAnswerNamesTheKeyAndWhereItIs() {
        assertThatThrownBy(() -> Json.MAPPER.readTree("{\"name\":\"a\",\"name\":\"b\"}"))
                .hasMessageContaining("Duplicate field 'name'");
        assertThatThrownBy(post("{\"name\":\"Acme\",\"settings\":{\"invitesPerDay\":5,\"invitesPerDay\":500}}")::jsonObject)
                .isInstanceOf(MalformedJsonException.class)
                .hasMessage("The request body has the key \"invitesPerDay\" twice in the object at /settings; send each key once.");
        assertThatThrownBy(post("{\"name\":\"Acme\",\"name\":\"Evil\"}")::jsonObject)
                .hasMessageContaining("\"name\" twice in the object at the top level");
        assertThatThrownBy(post("{\"projects\":[{\"role\":\"viewer\"},{\"role\":\"viewer\",\"role\":\"manager\"}]}")::jsonObject)
                .hasMessageContaining("\"role\" twice in the object at /projects/1");
    }

    @Test
    void otherSyntaxErrorsKeepTheGeneralAnswer() {
        assertThatThrownBy(post("{\"name\":")::jsonObject).isInstanceOf(MalformedJsonException.class)
                .hasMessage("The request body is not valid JSON.");
    }

    @Test
    void decimalsKeepEveryDigitSent() {
        String digits = "0.12345678901234567890123456789";
        assertThat(post("{\"v\":" + digits + "}").jsonObject().get("v").decimalValue()).isEqualTo(new BigDecimal(digits));
        // Beyond a double's range is still a number the validators can name, not Infinity.
        assertThat(post("{\"v\":1e400}").jsonObject().get("v").decimalValue()).isEqualTo(new BigDecimal("1e400"));
    }

    /** Found by fuzzing: the first object was used and the rest ignored, so two bodies sent as one made the first. */
    @Test
    void aBodyWithAnythingAfterItsObjectIsMalformed() {
        for (String body : new String[] {"{\"name\":\"a\"} {\"name\":\"b\"}", "{\"name\":\"a\"}}", "{\"name\":\"a\"}x", "{\"name\":\"a\"}[]"}) {
            ApiRequest request = new ApiRequest("POST /orgs", "/orgs", null, null, null, body, null, "r", null, null);
            assertThatThrownBy(request::jsonObject).as(body).isInstanceOf(MalformedJsonException.class);
        }
        ApiRequest spaced = new ApiRequest("POST /orgs", "/orgs", null, null, null, " {\"name\":\"a\"} \n", null, "r", null, null);
        assertThat(spaced.jsonObject().path("name").asText()).isEqualTo("a");
    }
}
