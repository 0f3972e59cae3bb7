package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * console/src/api/schema.d.ts, the TypeScript types of the API, is what openapi-typescript (pinned
 * in console/package.json) makes from openapi.yaml now, so the console and the README's TypeScript
 * examples are checked against the contract as it is. Runs console/'s own {@code generate:api}
 * script with openapi-typescript's {@code --check}, so the check and the generation share options.
 */
class GeneratedApiTypesTest {
    private static final String INSTALL = "install Node.js 20 with npm, then run (cd console && npm ci)"
            + " (mvn -B verify does it) to get openapi-typescript, pinned in console/package.json";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final Path root = ProjectFiles.root();

    @Test
    void theCommittedTypesAreWhatOpenApiYamlGeneratesNow() {
        ToolRun check = check(root.resolve("console"));
        assertThat(check.exitCode())
                .as("console/src/api/schema.d.ts is not what openapi-typescript makes from openapi.yaml now: run"
                        + " `npm run generate:api` in console/ and commit the file. The check printed:%n%s", check.output())
                .isZero();
    }

    /** The same check, on a copy of console/ beside an openapi.yaml changed after the types were made. */
    @Test
    void typesMadeBeforeAChangeToOpenApiYamlFailTheCheck(@TempDir Path copy) throws IOException {
        String contract = Files.readString(root.resolve("openapi.yaml"));
        String changed = contract.replace("summary: Invite one collaborator\n", "summary: Invite one person\n");
        assertThat(changed).as("openapi.yaml still has the invite operation's summary this test changes").isNotEqualTo(contract);
        Files.writeString(copy.resolve("openapi.yaml"), changed);
        Path console = Files.createDirectories(copy.resolve("console/src/api"));
        Files.copy(root.resolve("console/package.json"), copy.resolve("console/package.json"));
        Files.copy(root.resolve("console/src/api/schema.d.ts"), console.resolve("schema.d.ts"));
        Path modules = Files.createSymbolicLink(copy.resolve("console/node_modules"), root.resolve("console/node_modules"));
        try {
            ToolRun check = check(copy.resolve("console"));
            assertThat(check.exitCode()).as("the check's exit code for stale types; it printed:%n%s", check.output()).isNotZero();
        } finally {
            Files.delete(modules); // the link only, before JUnit cleans the folder (it warns about links to outside)
        }
    }

    private static ToolRun check(Path console) {
        if (!Files.isRegularFile(console.resolve("node_modules/.bin/openapi-typescript"))) {
            return fail("openapi-typescript is not installed in " + console + ": " + INSTALL);
        }
        ToolRun run = ToolRun.run(List.of("npm", "run", "--silent", "generate:api", "--", "--check"), console,
                Map.of("NO_COLOR", "1", "FORCE_COLOR", "0"), TIMEOUT, INSTALL);
        System.out.printf("[api types] openapi-typescript --check in %s: exit %d in %d ms%n", console, run.exitCode(),
                run.took().toMillis());
        return run;
    }
}
