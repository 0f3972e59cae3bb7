package io.tenure.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Launches the harness in a fresh JVM on one function's jar, as Lambda starts a function instance
 * ({@code java <JAVA_TOOL_OPTIONS> -cp harness:serialization:function.jar}), with the function's
 * environment only, and reads its one {@code BENCH_RESULT} line.
 */
final class ChildJvm {
    /** The three handlers a launch can run: the function's own, the bare floor, the dependency floor. */
    enum Variant { FUNCTION, BARE, FLOOR }

    /**
     * One launch.
     *
     * @param wallMillis fork to exit, the cold-start figure
     * @param classes classes loaded up to the first response, or -1 when not counted
     * @param result the harness's BENCH_RESULT object (firstResponseMs, response, and the warm figures)
     */
    record Launch(double wallMillis, int classes, JsonNode result) {
    }

    private final Path harnessJar;
    private final Path serializationJar;
    private final Path work;

    ChildJvm(Path harnessJar, Path serializationJar, Path work) {
        this.harnessJar = harnessJar;
        this.serializationJar = serializationJar;
        this.work = work;
    }

    /** The harness jar from {@code tenure.harnessJar} or bench/target, and the serialization jar from this JVM's class path. */
    static ChildJvm locate(Path root, Path work) throws IOException {
        String property = System.getProperty("tenure.harnessJar");
        Path harness = property != null ? Path.of(property) : null;
        if (harness == null) {
            try (var files = Files.list(root.resolve("bench/target"))) {
                harness = files.filter(f -> f.getFileName().toString().endsWith("-harness.jar")).findFirst().orElse(null);
            } catch (IOException e) {
                harness = null;
            }
        }
        if (harness == null || !Files.isRegularFile(harness)) {
            throw new IllegalStateException("The harness jar (bench/target/tenure-bench-*-harness.jar) is missing: build it with"
                    + " `mvn -B -o -q -DskipNpm -pl bench -am package -DskipTests` (bench/run does)");
        }
        Path serialization;
        try {
            serialization = Path.of(com.amazonaws.services.lambda.runtime.serialization.PojoSerializer.class
                    .getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        Files.createDirectories(work);
        return new ChildJvm(harness, serialization, work);
    }

    /** A cold launch on {@code event}; with {@code countClasses}, under {@code -Xlog:class+load} (not timed for the table). */
    Launch cold(Target target, Variant variant, String event, boolean countClasses) throws IOException, InterruptedException {
        Path eventFile = Files.createTempFile(work, target.logicalId(), ".json");
        Files.writeString(eventFile, event);
        try {
            return launch(target, variant, "cold", eventFile, countClasses, List.of());
        } finally {
            Files.deleteIfExists(eventFile);
        }
    }

    /** One JVM calling the handler once per event (the first is the warm-up), then timing the raw SDK calls. */
    Launch warm(Target target, List<String> events, String rawPk, String rawSk) throws IOException, InterruptedException {
        Path eventFile = Files.createTempFile(work, target.logicalId(), ".jsonl");
        Files.write(eventFile, events);
        try {
            return launch(target, Variant.FUNCTION, "warm", eventFile, false,
                    List.of("-Dbench.raw=true", "-Dbench.raw.pk=" + rawPk, "-Dbench.raw.sk=" + rawSk));
        } finally {
            Files.deleteIfExists(eventFile);
        }
    }

    private Launch launch(Target target, Variant variant, String mode, Path eventFile, boolean countClasses,
                          List<String> properties) throws IOException, InterruptedException {
        Path classLog = work.resolve(target.logicalId() + "-" + variant + "-classes.log");
        Path stderr = work.resolve(target.logicalId() + "-" + variant + "-stderr.log");
        Files.deleteIfExists(classLog);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(target.jvmFlags());
        if (countClasses) {
            command.add("-Xlog:class+load:file=" + classLog);
        }
        command.addAll(properties);
        if (variant == Variant.FLOOR) {
            command.add("-Dbench.floor.clients=" + String.join(",", target.floorClients()));
        }
        command.add("-cp");
        command.add(harnessJar + java.io.File.pathSeparator + serializationJar + java.io.File.pathSeparator + target.jar());
        command.add("io.tenure.bench.harness.Harness");
        command.add(mode);
        command.add(switch (variant) {
            case FUNCTION -> target.handler();
            case BARE -> "io.tenure.bench.harness.BareHandler::handleRequest";
            case FLOOR -> "io.tenure.bench.harness.FloorHandler::handleRequest";
        });
        command.add(eventFile.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        // Only the function's environment, as in Lambda (no AWS profile or settings of this machine).
        builder.environment().clear();
        builder.environment().putAll(target.environment());
        long start = System.nanoTime();
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(target.logicalId() + " " + variant + " did not exit within 10 minutes");
        }
        double wall = (System.nanoTime() - start) / 1e6;
        String stdout = new String(out, StandardCharsets.UTF_8);
        String line = stdout.lines().filter(l -> l.startsWith("BENCH_RESULT ")).findFirst().orElse(null);
        if (process.exitValue() != 0 || line == null) {
            throw new IllegalStateException(target.logicalId() + " " + variant + " " + mode + " failed (exit " + process.exitValue()
                    + "); stderr " + stderr + ":\n" + tail(stderr) + "\nstdout:\n" + stdout);
        }
        JsonNode result = LocalApi.JSON.readTree(line.substring("BENCH_RESULT ".length()));
        requireSuccess(target, variant, result);
        return new Launch(wall, countClasses ? classesBeforeMarker(classLog) : -1, result);
    }

    /** An HTTP answer must be 2xx: a launch that got 404 or 409 did not do the function's real work. */
    private static void requireSuccess(Target target, Variant variant, JsonNode result) {
        int status = result.path("statusCode").asInt(-1);
        if (status != -1 && status / 100 != 2) {
            throw new IllegalStateException(target.logicalId() + " " + variant + " answered " + status
                    + ", not the real work: " + result.path("response").asText());
        }
    }

    /** Lines of the class+load log before the marker's line: one line per class loaded. */
    static int classesBeforeMarker(Path classLog) throws IOException {
        List<String> lines = Files.readAllLines(classLog);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("io.tenure.bench.harness.FirstResponse ")) {
                return i;
            }
        }
        throw new IllegalStateException("No io.tenure.bench.harness.FirstResponse in " + classLog);
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
