package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CloudFront Function of template.yaml's console hosting ({@code ConsolePathsFunction}), its
 * code taken out of the template and run in Node with CloudFront's viewer-request event: each
 * console route is the single page, files stay files, {@code /} and {@code /console} redirect, and
 * any other path is 404 without reaching the bucket. Node runs a superset of CloudFront's
 * JavaScript, so the code keeps to ES5 (no arrow functions, no let/const): checked here too.
 */
class ConsolePathsFunctionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void rewritesConsoleRoutesRedirectsBareFoldersAndRefusesTheRest() throws IOException {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/", "302 /console/");
        expected.put("/console", "302 /console/");
        expected.put("/console/", "/console/index.html");
        expected.put("/console/orgs/org_01KAV3Q0M4Y8Z2T5W6X7C9D0EF/members", "/console/index.html");
        expected.put("/console/invite", "/console/index.html");
        expected.put("/console/index.html", "/console/index.html");
        expected.put("/console/assets/index-3f2a9c.js", "/console/assets/index-3f2a9c.js");
        expected.put("/console/favicon.svg", "/console/favicon.svg");
        expected.put("/docs", "302 /docs/");
        expected.put("/docs/", "/docs/index.html");
        expected.put("/docs/index.html", "/docs/index.html");
        expected.put("/favicon.ico", "404");
        expected.put("/consoles", "404");
        expected.put("/.env", "404");
        expected.put("/index.html", "404");

        Map<String, String> actual = run(List.copyOf(expected.keySet()));
        assertThat(actual).containsExactlyEntriesOf(expected);
    }

    @Test
    void theCodeFitsCloudFrontFunctions() throws IOException {
        String code = code();
        assertThat(code.getBytes(StandardCharsets.UTF_8).length).as("CloudFront Functions take at most 10 KB of code")
                .isLessThan(10 * 1024);
        assertThat(code).contains("function handler(event)").doesNotContain("=>").doesNotContainPattern("\\b(let|const)\\s");
    }

    /** What the function makes of each URI: {@code "302 <location>"}, {@code "404"}, or the rewritten URI. */
    private Map<String, String> run(List<String> uris) throws IOException {
        String harness = code() + "\n"
                + "var uris = " + MAPPER.writeValueAsString(uris) + ";\n"
                + "var out = {};\n"
                + "uris.forEach(function (uri) {\n"
                + "  var r = handler({ version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '203.0.113.10' },\n"
                + "    request: { method: 'GET', uri: uri, querystring: {}, headers: { host: { value: 'd1.cloudfront.net' } }, cookies: {} } });\n"
                + "  out[uri] = r.statusCode === undefined ? r.uri\n"
                + "    : r.statusCode === 302 ? '302 ' + r.headers.location.value : String(r.statusCode);\n"
                + "});\n"
                + "console.log(JSON.stringify(out));\n";
        Path script = Files.writeString(folder.resolve("paths.cjs"), harness);
        ToolRun node = ToolRun.run(List.of("node", script.toString()), folder, Map.of(), Duration.ofSeconds(30),
                "install Node.js 20 (the README's prerequisites)");
        assertThat(node.exitCode()).as(node.output()).isZero();
        JsonNode answers = MAPPER.readTree(node.stdout());
        Map<String, String> actual = new LinkedHashMap<>();
        answers.properties().forEach(e -> actual.put(e.getKey(), e.getValue().asText()));
        return actual;
    }

    private static String code() throws IOException {
        JsonNode function = new YAMLMapper().readTree(ProjectFiles.template().toFile()).at("/Resources/ConsolePathsFunction");
        assertThat(function.path("Properties").path("FunctionConfig").path("Runtime").asText()).isEqualTo("cloudfront-js-2.0");
        String code = function.path("Properties").path("FunctionCode").asText();
        assertThat(code).as("ConsolePathsFunction's FunctionCode in template.yaml").isNotBlank();
        return code;
    }
}
