package io.tenure.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenure.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a repeat of a key's creation answers: the key's metadata, never its secret. */
class ApiKeyReplayTest {
    @Test
    void theRepeatAnswerIsTheKeyWithoutItsSecret() {
        ApiKey key = new ApiKey("key_1", "org_1", "prj_1", "ci", "tnr_abcd", false, Instant.parse("2026-11-24T09:00:00Z"), "a@example.com");
        String first = Json.write(new CreatedApiKey(key, "tnr_abcdSECRET"));
        String repeat = Json.write(ApiKeyService.withoutSecret(new CreatedApiKey(key, "tnr_abcdSECRET")));

        assertThat(first).contains("\"secret\":\"tnr_abcdSECRET\"");
        assertThat(repeat).doesNotContain("SECRET").doesNotContain("\"secret\"")
                .contains("\"id\":\"key_1\"", "\"prefix\":\"tnr_abcd\"", "\"secretWithheld\":true");
    }
}
