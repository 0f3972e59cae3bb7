package io.tenure.local;

import static org.assertj.core.api.Assertions.assertThat;

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
        console = BrowserScripts.requireTools(true);
    }

    @Test
    void theScriptSavesEveryScreenAndEmailAndTheReadmeShowsTheCommittedImages() throws IOException {
        Path output = console.resolve("target/screenshots");
        deleteTree(output); // only this run's images are compared

        ToolRun run = BrowserScripts.run("screenshots", List.of("e2e/screenshots.mjs", output.toString()),
                Map.of("TENURE_URL", stack.baseUrl(), "SES_URL", stack.sesUrl()), RUN_TIMEOUT);
        BrowserScripts.assertPassed(run, "e2e/screenshots.mjs");

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
