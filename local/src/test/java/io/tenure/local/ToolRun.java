package io.tenure.local;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of an outside tool (node, tsc, npm, bash, java) from a test: bounded in time, its output
 * kept in files (so a chatty tool cannot block on a full pipe), and a clear failure saying how to
 * install the tool when it cannot be started.
 *
 * @param exitCode the process's exit code
 * @param stdout what it printed on standard output
 * @param stderr what it printed on standard error
 * @param took how long it ran
 */
record ToolRun(int exitCode, String stdout, String stderr, Duration took) {

    /** Both outputs, for a failure message. */
    String output() {
        return "stdout:\n" + stdout + "\nstderr:\n" + stderr;
    }

    /**
     * Runs {@code command} in {@code dir} with the test JVM's environment plus {@code env}, failing the
     * test if it cannot start ({@code install} says how to get it) or runs past {@code timeout}.
     */
    static ToolRun run(List<String> command, Path dir, Map<String, String> env, Duration timeout, String install) {
        try {
            Path out = Files.createTempFile("tool", ".out");
            Path err = Files.createTempFile("tool", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().putAll(env);
                long start = System.nanoTime();
                Process process;
                try {
                    process = builder.start();
                } catch (IOException e) {
                    return fail("Could not start `" + command.get(0) + "` (" + e.getMessage() + "): " + install, e);
                }
                process.getOutputStream().close();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    return fail("`" + String.join(" ", command) + "` did not finish in " + timeout + "; it printed:\n"
                            + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                return new ToolRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), took);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while `" + command.get(0) + "` ran", e);
        }
    }
}
