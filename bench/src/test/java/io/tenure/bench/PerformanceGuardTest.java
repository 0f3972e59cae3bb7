package io.tenure.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenure.local.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The regression guard of docs/performance.md: every function's jar and the classes its cold start
 * loads up to the first response may grow at most 10% above the recorded figures. Measured for
 * real: the jar sizes are read, and each function is launched once (a fresh JVM on its jar with its
 * sample event, as the benchmark launches it) against a local stack, counting classes with
 * {@code -Xlog:class+load}. Counts, not times: the machine's speed does not change them.
 */
class PerformanceGuardTest {
    private static final double ALLOWED_GROWTH = 1.10;
    private static final String PUBLISHER = "EventsPublisherFunction";
    private static final String REFRESH = "if the growth is wanted, run bench/run (or bench/run --quick) and commit docs/performance.md";

    @Test
    void jarsAndLoadedClassesStayWithinTenPercentOfTheRecordedFigures() throws Exception {
        Path root = LocalStack.findProjectRoot();
        Map<String, PerformanceDoc.Recorded> recorded = PerformanceDoc.read(root.resolve("docs/performance.md"));
        ChildJvm jvm = ChildJvm.locate(root, Files.createTempDirectory("tenure-bench-guard"));
        List<String> failures = new ArrayList<>();
        List<String> measured = new ArrayList<>();
        long started = System.nanoTime();
        try (LocalStack stack = LocalStack.start(BenchStack.options(root))) {
            measured.add(String.format(Locale.ROOT, "stack started in %.1f s", (System.nanoTime() - started) / 1e9));
            List<Target> targets = Target.all(stack, root);
            assertThat(recorded.keySet()).as("functions recorded in docs/performance.md (" + REFRESH + ")")
                    .containsExactlyInAnyOrderElementsOf(targets.stream().map(Target::logicalId).toList());
            Fixture fixture = new Fixture(new LocalApi(stack.baseUrl()), root, stack.ses().url(), stack.clock());
            Map<Target, String> events = new java.util.LinkedHashMap<>();
            for (Target target : targets) {
                events.put(target, fixture.events(target.logicalId(), 1).get(0));
            }
            measured.add(String.format(Locale.ROOT, "data seeded at %.1f s", (System.nanoTime() - started) / 1e9));
            // Two launches at a time (counts do not depend on the machine's load), to stay well under 2 minutes.
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Map<Target, Future<Integer>> counted = new java.util.LinkedHashMap<>();
                for (Target target : targets) {
                    if (!target.logicalId().equals(PUBLISHER)) {
                        counted.put(target, pool.submit(() -> jvm.cold(target, ChildJvm.Variant.FUNCTION, events.get(target), true).classes()));
                    }
                }
                for (Future<Integer> launch : counted.values()) {
                    launch.get();
                }
                // As the benchmark counts it: the publisher with nothing to publish (the outbox drained just before).
                for (Target target : targets) {
                    if (target.logicalId().equals(PUBLISHER)) {
                        stack.invoke(PUBLISHER, events.get(target));
                        counted.put(target, java.util.concurrent.CompletableFuture.completedFuture(
                                jvm.cold(target, ChildJvm.Variant.FUNCTION, events.get(target), true).classes()));
                    }
                }
                for (Target target : targets) {
                    PerformanceDoc.Recorded was = recorded.get(target.logicalId());
                    long jarBytes = Files.size(target.jar());
                    int classes = counted.get(target).get();
                    measured.add(String.format(Locale.ROOT, "%s: jar %d bytes (recorded %d), classes %d (recorded %d)",
                            target.logicalId(), jarBytes, was.jarBytes(), classes, was.classesLoaded()));
                    if (jarBytes > was.jarBytes() * ALLOWED_GROWTH) {
                        failures.add(String.format(Locale.ROOT, "%s: function.jar is %d bytes, %.1f%% above the recorded %d",
                                target.logicalId(), jarBytes, 100.0 * jarBytes / was.jarBytes() - 100, was.jarBytes()));
                    }
                    if (classes > was.classesLoaded() * ALLOWED_GROWTH) {
                        failures.add(String.format(Locale.ROOT,
                                "%s: %d classes loaded up to the first response, %.1f%% above the recorded %d",
                                target.logicalId(), classes, 100.0 * classes / was.classesLoaded() - 100, was.classesLoaded()));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        measured.add(String.format(Locale.ROOT, "done in %.1f s", (System.nanoTime() - started) / 1e9));
        System.out.println("[guard] " + String.join("\n[guard] ", measured));
        assertThat(failures).as("more than 10%% above docs/performance.md; " + REFRESH).isEmpty();
    }
}
