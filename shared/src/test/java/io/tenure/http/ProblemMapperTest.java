package io.tenure.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenure.error.MalformedJsonException;
import io.tenure.error.PayloadTooLargeException;
import io.tenure.error.RateLimitedException;
import io.tenure.error.ValidationFailedException;
import io.tenure.invitation.InvitationPendingException;
import io.tenure.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemMapperTest {

    @Test
    void validationNamesEachField() throws Exception {
        ApiResponse response = ProblemMapper.toResponse(ValidationFailedException.of("/projects/0/role", "must be one of x"), "r1");
        JsonNode body = Json.MAPPER.readTree(response.body());

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.headers()).containsEntry("content-type", "application/problem+json");
        assertThat(body.path("type").asText()).isEqualTo("urn:tenure:problem:validation_failed");
        assertThat(body.path("code").asText()).isEqualTo("validation_failed");
        assertThat(body.path("errors").get(0).path("pointer").asText()).isEqualTo("/projects/0/role");
    }

    @Test
    void conflictsCarryTheBlockingIdAndLimitsRetryAfter() throws Exception {
        ApiResponse pending = ProblemMapper.toResponse(new InvitationPendingException("inv_1"), "r1");
        assertThat(pending.status()).isEqualTo(409);
        assertThat(Json.MAPPER.readTree(pending.body()).path("invitationId").asText()).isEqualTo("inv_1");

        ApiResponse limited = ProblemMapper.toResponse(new RateLimitedException("slow down", 42), "r1");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers()).containsEntry("retry-after", "42");
    }

    @Test
    void unexpectedFailuresRevealNothingButTheRequestId() {
        ApiResponse response = ProblemMapper.toResponse(new IllegalStateException("table tenure-dev secret detail"), "req-9");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body()).contains("req-9").doesNotContain("tenure-dev").doesNotContain("IllegalState");
    }

    @Test
    void bodiesOver64KibAndMalformedJsonAreRefused() {
        ApiRequest big = request("{\"email\":\"" + "a".repeat(70 * 1024) + "\"}");
        assertThatThrownBy(big::jsonObject).isInstanceOf(PayloadTooLargeException.class);
        assertThatThrownBy(request("{\"email\":")::jsonObject).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(request("[1,2]")::jsonObject).isInstanceOf(ValidationFailedException.class);
        assertThat(ProblemMapper.toResponse(new PayloadTooLargeException(), "r").status()).isEqualTo(413);
        assertThat(ProblemMapper.toResponse(new MalformedJsonException(), "r").status()).isEqualTo(400);
    }

    private static ApiRequest request(String body) {
        return new ApiRequest("POST /orgs", "/orgs", Map.of(), Map.of(), Map.of(), body, Map.of(), "r", null, null);
    }
}
