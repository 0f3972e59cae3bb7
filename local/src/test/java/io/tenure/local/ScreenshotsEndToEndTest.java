package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's screenshots keep up with the console and the emails: console/e2e/screenshots.mjs makes
 * its data through the API of the shared local stack, drives the stack's clock and schedules, and saves
 * a PNG of every console screen, the accept page and each kind of email into console/target/screenshots/.
 * The images it wrote must be the ones committed in docs/images/ (by name), and README.md must show
 * each of them and nothing that is missing. A new screen without a committed image, or a stale README,
 * fails here; {@code npm run screenshots} in console/ refreshes the committed images.
 */
class ScreenshotsEndToEndTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String GET_CHROMIUM = "install Debian's chromium (as root: apt-get update && apt-get install -y"
            + " chromium), which local/ensure-chromium does and mvn -B verify runs before the tests";
    private static final String NODE = "install Node.js 20.19 or newer with npm, then run (cd console && npm ci)"
            + " (mvn -B verify does it): console/package.json pins playwright-core and axe-core";
    private static final String REFRESH = "refresh the committed images: start a stack (local/run --port 3207 --ses-port 8207),"
            + " then (cd console && TENURE_URL=http://127.0.0.1:3207 SES_URL=http://127.0.0.1:8207 npm run screenshots),"
            + " and show each image in README.md's ## Screenshots section";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final Pattern IMAGE_REFERENCE = Pattern.compile("!\\[[^\\]]*]\\(([^)\\s]+)\\)");

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
    void theScriptSavesEveryScreenAndEmailAndTheReadmeShowsTheCommittedImages() throws IOException {
        Path output = console.resolve("target/screenshots");
        deleteTree(output); // only this run's images are compared

        Map<String, String> environment = Map.of("TENURE_URL", stack.baseUrl(), "SES_URL", stack.sesUrl(),
                "CHROMIUM_PATH", CHROMIUM.toString(), "NO_COLOR", "1");
        ToolRun run = ToolRun.run(List.of("node", "e2e/screenshots.mjs", output.toString()), console, environment, RUN_TIMEOUT, NODE);
        System.out.println("[screenshots] (" + run.took().toMillis() + " ms):\n" + run.stdout().strip());
        assertThat(run.exitCode()).as("node e2e/screenshots.mjs failed; it printed:%n%s", run.output()).isZero();
        assertThat(run.stdout()).as("the script's closing line").containsPattern("(?m)^\\d+ passed, 0 failed$");

        Set<String> written = pngs(output);
        assertThat(written).as("the script wrote no image").isNotEmpty();
        for (String name : written) {
            assertThat(run.stdout()).as("the script prints a line for %s", name).contains("image " + name + " ");
        }
        Path images = ProjectFiles.root().resolve("docs/images");
        assertThat(pngs(images)).as("docs/images/*.png are the images the script makes (%s)", REFRESH).isEqualTo(written);

        String readme = Files.readString(ProjectFiles.root().resolve("README.md"));
        Set<String> referenced = new TreeSet<>();
        Matcher reference = IMAGE_REFERENCE.matcher(readme);
        while (reference.find()) {
            String target = reference.group(1);
            assertThat(ProjectFiles.root().resolve(target)).as("README.md shows %s, which does not exist", target).isRegularFile();
            referenced.add(target);
        }
        for (String name : pngs(images)) {
            assertThat(referenced).as("README.md does not show docs/images/%s (%s)", name, REFRESH).contains("docs/images/" + name);
        }
    }

    private static Set<String> pngs(Path folder) throws IOException {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(folder)) {
            return names;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".png")).forEach(names::add);
        }
        return names;
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
