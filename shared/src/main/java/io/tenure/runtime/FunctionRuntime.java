package io.tenure.runtime;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Where a function reads its configuration and the time.
 *
 * <p>In Lambda these are the process environment and the system UTC clock. The local stack runs
 * every function in its own class loader, so each function has its own copy of this class; the
 * stack calls {@link #install} on that copy to give the function its environment from
 * template.yaml and the stack's shared, movable clock.
 */
public final class FunctionRuntime {
    private static volatile Map<String, String> environment = System.getenv();
    private static volatile Clock clock = Clock.systemUTC();

    private FunctionRuntime() {
    }

    /** Replaces the environment and clock this copy of the class hands out. */
    public static void install(Map<String, String> env, Clock newClock) {
        environment = Map.copyOf(Objects.requireNonNull(env, "env"));
        clock = Objects.requireNonNull(newClock, "clock");
        io.tenure.log.Log.function(environment.get("AWS_LAMBDA_FUNCTION_NAME"));
    }

    /** The function's environment variables. */
    public static Map<String, String> environment() {
        return environment;
    }

    /** One environment variable; fails clearly when a required one is missing. */
    public static String require(String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Missing environment variable " + name);
        }
        return value;
    }

    /** The clock every time-dependent rule reads. */
    public static Clock clock() {
        return clock;
    }
}
