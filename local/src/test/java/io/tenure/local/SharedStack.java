package io.tenure.local;

import java.nio.file.Path;

/**
 * One local stack per test JVM, started on first use on free ports with background schedules off,
 * and closed when the JVM exits, so many test classes can share it. The system property
 * {@code tenure.template} points it at another template (e.g. a test copy).
 */
public final class SharedStack {
    private static LocalStack stack;

    private SharedStack() {
    }

    /** The shared stack if a test has started it, else null. */
    static synchronized LocalStack startedOrNull() {
        return stack;
    }

    /** The shared stack, started on first call. */
    public static synchronized LocalStack get() {
        if (stack == null) {
            LocalStack.Options options = LocalStack.Options.defaults().port(0).sesPort(0).schedules(false);
            String template = System.getProperty("tenure.template");
            if (template != null && !template.isBlank()) {
                options = options.template(Path.of(template));
            }
            try {
                stack = LocalStack.start(options);
            } catch (Exception e) {
                throw new IllegalStateException("The shared local stack could not start: " + e.getMessage(), e);
            }
            LocalStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-stack-close"));
        }
        return stack;
    }
}
