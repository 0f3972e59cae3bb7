package io.tenure.json;

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
}
