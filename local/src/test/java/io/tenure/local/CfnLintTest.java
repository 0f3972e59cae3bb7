package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * template.yaml passes cfn-lint (the Python one, 1.x, which transforms SAM and knows every
 * CloudFormation type and property) with no finding at any level, informational included. A
 * check the template opts out of is listed in its Metadata with the reason beside it. Never
 * skipped: without cfn-lint this test fails and says how to install it.
 */
class CfnLintTest {
    private static final String INSTALL = "pip install cfn-lint==1.51.0";
    private static final Pattern VERSION = Pattern.compile("cfn-lint (\\d+)\\.(\\d+)\\.(\\d+)");
    private static final long TIMEOUT_SECONDS = 300;

    private final Path root = ProjectFiles.root();

    @TempDir
    Path folder;

    @Test
    void cfnLintIsVersionOne() {
        Result version = run(root, "--version");
        assertThat(version.exitCode()).as("`cfn-lint --version` exit code; it printed:%n%s", version.output()).isZero();
        Matcher matcher = VERSION.matcher(version.output());
        assertThat(matcher.find()).as("a version in `cfn-lint --version`: %s", version.output()).isTrue();
        assertThat(matcher.group(1))
                .as("cfn-lint's major version (it printed \"%s\"); the checks here are cfn-lint 1.x's. Install it with: %s",
                        version.output().trim(), INSTALL)
                .isEqualTo("1");
    }

    /** Exit code 0 and no output: no error, warning or informational finding. */
    @Test
    void templateHasNoFindingAtAnyLevel() {
        Result lint = lint(root, "template.yaml");
        assertThat(lint.output()).as("cfn-lint findings (exit code %d) for template.yaml:%n%s", lint.exitCode(), lint.output())
                .isBlank();
        assertThat(lint.exitCode()).as("cfn-lint exit code; it printed:%n%s", lint.output()).isZero();
    }

    /** The run above includes the informational level: a stateful resource without a DeletionPolicy shows up. */
    @Test
    void informationalFindingsAreReported() throws IOException {
        Files.writeString(folder.resolve("template.yaml"), """
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                  Logs:
                    Type: AWS::Logs::LogGroup
                    Properties:
                      RetentionInDays: 30
                """);
        Result lint = lint(folder, "template.yaml");
        assertThat(lint.output()).as("cfn-lint output for a log group without DeletionPolicy").contains("I3011");
        assertThat(lint.exitCode() & 8).as("exit code %d has the informational bit", lint.exitCode()).isEqualTo(8);
    }

    /**
     * The lint reads the console's hosting too (S3, CloudFront): a copy of template.yaml with a wrong
     * signing protocol on the origin access control and an unknown function runtime is an error.
     */
    @Test
    void theHostingResourcesAreLintedToo() throws IOException {
        String text = Files.readString(ProjectFiles.template());
        assertThat(text).contains("SigningProtocol: sigv4").contains("Runtime: cloudfront-js-2.0");
        Files.writeString(folder.resolve("template.yaml"), text.replace("SigningProtocol: sigv4", "SigningProtocol: sigv5")
                .replace("Runtime: cloudfront-js-2.0", "Runtime: cloudfront-js-3.0"));
        Result lint = lint(folder, "template.yaml");
        assertThat(lint.output()).as("cfn-lint output for the changed copy").contains("'sigv5'").contains("'cloudfront-js-3.0'");
        assertThat(lint.exitCode() & 2).as("exit code %d has the error bit", lint.exitCode()).isEqualTo(2);
    }

    /** Every check the template ignores (template-wide or on a resource) has a reason in Metadata.Tenure.LintExceptions. */
    @Test
    void everyIgnoredCheckHasAReason() throws IOException {
        JsonNode template = new YAMLMapper().readTree(ProjectFiles.template().toFile());
        JsonNode reasons = template.path("Metadata").path("Tenure").path("LintExceptions");
        TreeSet<String> ignored = new TreeSet<>();
        template.path("Metadata").path("cfn-lint").path("config").path("ignore_checks").forEach(c -> ignored.add(c.asText()));
        template.path("Resources").forEach(resource -> resource.path("Metadata").path("cfn-lint").path("config")
                .path("ignore_checks").forEach(c -> ignored.add(c.asText())));
        for (String check : ignored) {
            assertThat(reasons.path(check).asText("").trim())
                    .as("a reason for ignoring cfn-lint check %s, at Metadata.Tenure.LintExceptions.%s in template.yaml", check, check)
                    .hasSizeGreaterThan(20);
        }
        reasons.properties().stream().map(java.util.Map.Entry::getKey).forEach(check -> assertThat(ignored)
                .as("Metadata.Tenure.LintExceptions.%s gives a reason for a check that is not ignored", check)
                .contains(check));
    }

    private Result lint(Path directory, String template) {
        return run(directory, "--include-checks", "I", "--", template);
    }

    private static Result run(Path directory, String... arguments) {
        List<String> command = new ArrayList<>(List.of("cfn-lint"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("cfn-lint is not on the PATH (" + e.getMessage() + "). It checks template.yaml against "
                    + "CloudFormation and SAM; install it (Python 3) with: " + INSTALL);
        }
        try {
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("`" + String.join(" ", command) + "` did not finish in " + TIMEOUT_SECONDS + " s");
            }
            Result result = new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
            System.out.println("[cfn-lint] " + String.join(" ", command) + " -> exit " + result.exitCode()
                    + (result.output().isBlank() ? "" : "\n" + result.output()));
            return result;
        } catch (IOException e) {
            return fail("reading cfn-lint's output failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while cfn-lint ran", e);
        }
    }

    private record Result(int exitCode, String output) {
    }
}
