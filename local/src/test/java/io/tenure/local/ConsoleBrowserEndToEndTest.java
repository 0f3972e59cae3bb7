package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin console in a real browser against the shared local stack: Debian's chromium at
 * /usr/bin/chromium, driven by playwright-core from the Node scripts under console/e2e/, with
 * axe-core checking each screen. A missing chromium, console build or package fails the test with
 * how to get it; it is never skipped.
 */
class ConsoleBrowserEndToEndTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String GET_CHROMIUM = "install Debian's chromium (as root: apt-get update && apt-get install -y"
            + " chromium), which local/ensure-chromium does and mvn -B verify runs before the tests";
    private static final String NODE = "install Node.js 20.19 or newer with npm, then run (cd console && npm ci)"
            + " (mvn -B verify does it): console/package.json pins playwright-core and axe-core";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    private static LocalStack stack;
    private static Path console;

    @BeforeAll
    static void stackAndTools() {
        stack = SharedStack.get();
        console = ProjectFiles.root().resolve("console");
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is missing at " + CHROMIUM + ": " + GET_CHROMIUM);
        }
        if (!Files.isDirectory(console.resolve("node_modules/playwright-core"))
                || !Files.isRegularFile(console.resolve("node_modules/axe-core/axe.min.js"))) {
            fail("playwright-core or axe-core is not installed in console/node_modules: " + NODE);
        }
        if (!Files.isRegularFile(console.resolve("dist/index.html"))) {
            fail("The console is not built (no console/dist/index.html): " + ConsoleFiles.HOW_TO_BUILD);
        }
    }

    @Test
    void theBannerNamesTheConsole() {
        assertThat(stack.banner()).contains("Console        " + stack.baseUrl() + "/console/")
                .doesNotContain("[not built: " + ConsoleFiles.HOW_TO_BUILD);
    }

    /** Sign in, the empty orgs state, an org name refused beside its field, an org created, opened and given a project. */
    @Test
    void anAdminSignsInAndCreatesAnOrgInChromium() {
        run("e2e/orgs.e2e.mjs");
    }

    /**
     * Invite one collaborator (an empty address refused beside its field first) with a note and an end
     * date, see it pending with its delivery, resend (refused within the minute with the wait in words,
     * sent once the stack clock moves a minute), revoke another after confirming, a batch of 3 lines with
     * one bad address, and the pending invitation on the Overview.
     */
    @Test
    void anAdminInvitesResendsRevokesAndInvitesABatchInChromium() {
        run("e2e/invite.e2e.mjs");
    }

    private static void run(String script) {
        ToolRun run = ToolRun.run(List.of("node", script), console,
                Map.of("TENURE_URL", stack.baseUrl(), "CHROMIUM_PATH", CHROMIUM.toString(), "NO_COLOR", "1"),
                RUN_TIMEOUT, NODE);
        System.out.println("[console-e2e] " + script + " (" + run.took().toMillis() + " ms):\n" + run.stdout().strip());
        assertThat(run.exitCode()).as("node %s failed; it printed:%n%s", script, run.output()).isZero();
        assertThat(run.stdout()).as("the script's closing line").containsPattern("(?m)^\\d+ passed, 0 failed$");
    }
}
