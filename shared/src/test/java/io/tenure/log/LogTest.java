package io.tenure.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenure.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Each line is one JSON object with the common fields, the call's fields in their JSON types, and nothing else. */
class LogTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void capture() {
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Log.function("tenure-test-me");
    }

    @AfterEach
    void restore() {
        System.setOut(original);
        Log.function(null);
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(Json.MAPPER.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void aLineHasTheCommonFieldsAndTheCallsFieldsWithTheirTypes() throws Exception {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("found", 3);
        summary.put("stoppedEarly", false);
        Log.invocation("req-1", () -> {
            Log.info("scheduled run", "summary", summary, "status", 200, "durationMs", 12L, "skipped", null);
            return null;
        });

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.fieldNames()).toIterable()
                .containsExactly("timestamp", "level", "message", "function", "requestId", "summary", "status", "durationMs");
        assertThat(Instant.parse(line.get("timestamp").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("message").asText()).isEqualTo("scheduled run");
        assertThat(line.get("function").asText()).isEqualTo("tenure-test-me");
        assertThat(line.get("requestId").asText()).isEqualTo("req-1");
        assertThat(line.get("status").isInt()).isTrue();
        assertThat(line.get("durationMs").asLong()).isEqualTo(12L);
        assertThat(line.get("summary").get("found").asInt()).isEqualTo(3);
        assertThat(line.get("summary").get("stoppedEarly").isBoolean()).isTrue();
    }

    @Test
    void theRequestIdIsTheInvocationsOnlyAndLevelsAreKept() throws Exception {
        Log.invocation("outer", () -> Log.invocation("inner", () -> {
            Log.warn("inside");
            return null;
        }));
        Log.error("outside", "error", "java.lang.IllegalStateException");

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("level").asText()).isEqualTo("WARN");
        assertThat(lines.get(0).get("requestId").asText()).isEqualTo("inner");
        assertThat(lines.get(1).get("level").asText()).isEqualTo("ERROR");
        assertThat(lines.get(1).has("requestId")).isFalse();
        assertThat(lines.get(1).get("error").asText()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void otherLoggersAndExceptionsWriteNothing() throws Exception {
        // The AWS SDK logs through SLF4J: it stays off, as with slf4j-nop.
        LoggerFactory.getLogger("software.amazon.awssdk.request").warn("secret-header: abc");
        LoggerFactory.getLogger(Log.LOGGER).warn("failed", new IllegalStateException("token=abc"));

        List<JsonNode> lines = lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).toString()).doesNotContain("abc");
    }

    @Test
    void aMetricLineIsWrittenAsItIs() {
        Log.metric("{\"_aws\":{\"Timestamp\":1}}");

        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("{\"_aws\":{\"Timestamp\":1}}" + System.lineSeparator());
    }
}
