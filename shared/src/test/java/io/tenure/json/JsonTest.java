package io.tenure.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenure.error.MalformedJsonException;
import io.tenure.http.ApiRequest;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void aBodyWithOneKeyTwiceIsMalformed() {
        assertThatThrownBy(() -> Json.MAPPER.readTree("{\"name\":\"a\",\"name\":\"b\"}"))
                .hasMessageContaining("Duplicate field 'name'");
        ApiRequest request = new ApiRequest("POST /orgs", "/orgs", null, null, null,
                "{\"name\":\"Acme\",\"settings\":{\"invitesPerDay\":5,\"invitesPerDay\":500}}", null, "r", null, null);
        assertThatThrownBy(request::jsonObject).isInstanceOf(MalformedJsonException.class);
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
