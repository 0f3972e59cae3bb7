package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openapi.yaml passes Redocly CLI's linter (pinned in local/package.json) with the project's
 * redocly.yaml: the recommended rules, with examples that contradict their schema as errors. Never
 * skipped: without the linter this test fails and says how to install it.
 */
class OpenApiLintTest {
    private static final String INSTALL = "run (cd local && npm ci) to install Redocly CLI (pinned in local/package.json)";
    private static final long TIMEOUT_SECONDS = 180;

    private final Path root = ProjectFiles.root();

    @TempDir
    Path folder;

    /** No error at any rule; warnings, if any, are printed with the linter's output. */
    @Test
    void openApiYamlHasNoLintErrors() {
        Result lint = lint(root.resolve("openapi.yaml"));
        assertThat(lint.exitCode()).as("`redocly lint openapi.yaml` exit code; it printed:%n%s", lint.output()).isZero();
        assertThat(lint.output()).as("the linter's verdict").contains("Your API description is valid");
    }

    /**
     * The same command and configuration refuse a description whose example contradicts its
     * schema, so a clean run above means something.
     */
    @Test
    void anExampleThatContradictsItsSchemaIsAnError() throws IOException {
        Path broken = folder.resolve("openapi.yaml");
        Files.writeString(broken, """
                openapi: 3.1.0
                info:
                  title: Broken
                  version: 0.0.1
                  license: {name: MIT, url: 'https://opensource.org/licenses/MIT'}
                servers:
                  - url: http://127.0.0.1:3000
                tags:
                  - name: Me
                    description: The caller.
                paths:
                  /me:
                    get:
                      operationId: me
                      tags: [Me]
                      summary: The caller
                      description: The caller.
                      security: []
                      responses:
                        '200':
                          description: The caller.
                          content:
                            application/json:
                              schema:
                                type: object
                                required: [version]
                                properties:
                                  version: {type: integer}
                              examples:
                                wrong:
                                  value: {version: one}
                        '404':
                          description: Nothing.
                """);
        Result lint = lint(broken);
        assertThat(lint.exitCode()).as("exit code for an example that contradicts its schema; it printed:%n%s", lint.output())
                .isNotZero();
        assertThat(lint.output()).contains("no-invalid-media-type-examples");
    }

    private Result lint(Path description) {
        Path redocly = root.resolve("local/node_modules/.bin/redocly");
        if (!Files.isExecutable(redocly)) {
            return fail("Redocly CLI is not installed at " + redocly + ": " + INSTALL);
        }
        List<String> command = new ArrayList<>(List.of(redocly.toString(), "lint", description.toString(),
                "--config", root.resolve("redocly.yaml").toString(), "--format", "stylish"));
        try {
            Path log = Files.createTempFile(folder, "redocly", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // No usage data sent, no update notice, no colour codes in the output.
            builder.environment().putAll(Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SUPPRESS_NOTIFICATIONS", "true",
                    "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true", "NO_COLOR", "1", "FORCE_COLOR", "0"));
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return fail("`" + String.join(" ", command) + "` did not finish in " + TIMEOUT_SECONDS + " s; it printed:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            Result result = new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            System.out.println("[redocly] " + String.join(" ", command) + " -> exit " + result.exitCode() + "\n" + result.output());
            return result;
        } catch (IOException e) {
            return fail("running Redocly CLI failed (" + e.getMessage() + "); " + INSTALL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while Redocly CLI ran", e);
        }
    }

    private record Result(int exitCode, String output) {
    }
}
