package io.tenure.local;

import java.nio.file.Path;
import org.opentest4j.TestAbortedException;

/**
 * One local stack per test JVM, started on first use on free ports with background schedules off,
 * and closed when the JVM exits, so many test classes can share it. The system property
 * {@code tenure.template} points it at another template (e.g. a test copy).
 *
 * <p>This is the one fixture that gives the end-to-end suite its endpoints. By default DynamoDB
 * Local, the SES emulator and the fake bus run in this JVM; with {@code tenure.tier=localstack}
 * (set by {@code mvn -Plocalstack}) they come from LocalStack through Testcontainers
 * ({@link ExternalTier}), and every test that uses this stack runs unchanged against them. Without
 * a Docker engine that tier cannot start: each class that uses this stack is then skipped with
 * {@link #NO_DOCKER}, before its set-up runs ({@link LocalStackTierSkip}), the only skip the suite
 * allows.
 */
public final class SharedStack {
    /** Why the LocalStack tier's tests are skipped on a machine without Docker. */
    static final String NO_DOCKER = "Docker engine not found: -Plocalstack needs Docker; these tests ran against the"
            + " in-process tier only (mvn -B verify)";
    private static LocalStack stack;
    private static ExternalTier external;
    private static String skipped;
    private static boolean tierChecked;

    private SharedStack() {
    }

    /** The shared stack if a test has started it, else null. */
    static synchronized LocalStack startedOrNull() {
        return stack;
    }

    /**
     * Why the classes on this stack are skipped in this run ({@link #NO_DOCKER} and the detail), or
     * null: always null in the in-process tier. Checked once.
     */
    static synchronized String skipReason() {
        if (!tierChecked) {
            tierChecked = true;
            external = ExternalTier.fromSystemProperty();
            String reason = external == null ? null : external.unavailableReason();
            if (reason != null) {
                skipped = NO_DOCKER + " (" + reason + ")";
                System.out.println("\n[tenure] " + skipped + "\n");
            }
        }
        return skipped;
    }

    /** The shared stack, started on first call. */
    public static synchronized LocalStack get() {
        if (skipReason() != null) {
            throw new TestAbortedException(skipped);
        }
        if (stack == null) {
            LocalStack.Options options = LocalStack.Options.defaults().port(0).sesPort(0).schedules(false);
            String template = System.getProperty("tenure.template");
            if (template != null && !template.isBlank()) {
                options = options.template(Path.of(template));
            }
            try {
                if (external != null) {
                    options = external.start(options);
                }
                stack = LocalStack.start(options);
                if (external != null) {
                    external.provision(stack);
                }
            } catch (Exception e) {
                if (stack != null) {
                    stack.close();
                    stack = null;
                }
                if (external != null) {
                    external.close();
                }
                throw new IllegalStateException("The shared local stack could not start: " + e.getMessage(), e);
            }
            LocalStack started = stack;
            ExternalTier tier = external;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                if (tier != null) {
                    tier.close();
                }
            }, "shared-stack-close"));
        }
        return stack;
    }
}
