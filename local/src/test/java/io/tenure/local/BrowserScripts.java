package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's browser scripts ({@code console/e2e/}), run with node: Debian's chromium driven by
 * playwright-core, with axe-core. What they need is checked first, and a missing piece fails with how
 * to get it; a script is never skipped. Every script ends with the line {@code N passed, M failed}.
 */
final class BrowserScripts {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final String GET_CHROMIUM = "install Debian's chromium (as root: apt-get update && apt-get install -y"
            + " chromium), which local/ensure-chromium does and mvn -B verify runs before the tests";
    static final String NODE = "install Node.js 20.19 or newer with npm, then run (cd console && npm ci)"
            + " (mvn -B verify does it): console/package.json pins playwright-core, axe-core and oidc-provider";

    private BrowserScripts() {
    }

    /** The console folder, once chromium, the npm packages and (when {@code needsBuild}) the console's build are there. */
    static Path requireTools(boolean needsBuild) {
        Path console = ProjectFiles.root().resolve("console");
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is missing at " + CHROMIUM + ": " + GET_CHROMIUM);
        }
        for (String installed : List.of("node_modules/playwright-core", "node_modules/axe-core/axe.min.js", "node_modules/oidc-provider")) {
            if (!Files.exists(console.resolve(installed))) {
                fail("console/" + installed + " is missing: " + NODE);
            }
        }
        if (needsBuild && !Files.isRegularFile(console.resolve("dist/index.html"))) {
            fail("The console is not built (no console/dist/index.html): " + ConsoleFiles.HOW_TO_BUILD);
        }
        return console;
    }

    /** Runs {@code node args…} in console/ with {@code environment} (plus CHROMIUM_PATH), and prints what it printed under {@code label}. */
    static ToolRun run(String label, List<String> args, Map<String, String> environment, Duration timeout) {
        Map<String, String> all = new HashMap<>(environment);
        all.putAll(Map.of("CHROMIUM_PATH", CHROMIUM.toString(), "NO_COLOR", "1"));
        List<String> command = new java.util.ArrayList<>(List.of("node"));
        command.addAll(args);
        ToolRun run = ToolRun.run(command, ProjectFiles.root().resolve("console"), all, timeout, NODE);
        System.out.println("[" + label + "] " + String.join(" ", args) + " (" + run.took().toMillis() + " ms):\n" + run.stdout().strip());
        return run;
    }

    /** The script exited 0 and its closing line says nothing failed. */
    static void assertPassed(ToolRun run, String what) {
        assertThat(run.exitCode()).as("node %s failed; it printed:%n%s", what, run.output()).isZero();
        assertThat(run.stdout()).as("the closing line of %s", what).containsPattern("(?m)^\\d+ passed, 0 failed$");
    }
}
