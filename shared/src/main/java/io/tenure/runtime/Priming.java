package io.tenure.runtime;

import io.tenure.id.Randomness;
import io.tenure.log.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A function's SnapStart runtime hooks (docs/snapstart.md), registered by its handler's Lambda
 * constructor.
 *
 * <p>When Lambda publishes a version of a function with SnapStart on, it runs the init phase (the
 * handler's constructor), then every {@code beforeCheckpoint} hook, then takes the snapshot. Each
 * new execution environment resumes from that snapshot and runs every {@code afterRestore} hook
 * before its first invocation. Here:
 *
 * <ul>
 *   <li>{@code beforeCheckpoint} runs the function's priming call once: its own handler on a
 *       built-in sample request that only reads (a caller who is no member, an unknown token,
 *       a dry run of a schedule's reads). Classes load, the JIT warms, and the SDK client, its
 *       HTTP client, credentials and the JSON mappers are built, so the snapshot holds them and the
 *       first real request after a restore does not pay for them. A failure of the priming call is
 *       logged and swallowed: a snapshot without priming is slower, not wrong, and a failed hook
 *       would fail the version's publication and the deploy.
 *   <li>{@code afterRestore} re-creates what must differ between instances resumed from one
 *       snapshot: {@link Randomness#renew} (ids, invitation tokens, API key secrets).
 * </ul>
 *
 * <p>Outside Lambda (tests, a JDK without CRaC) the registration is dropped by {@code org.crac} and
 * nothing runs; the local stack plays Lambda's part for functions with SnapStart on.
 */
public final class Priming implements Resource {
    // org.crac's global context holds its resources through weak references: without this strong
    // reference the collector could drop a registration before Lambda takes the snapshot.
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String function;
    private final Runnable prime;

    private Priming(String function, Runnable prime) {
        this.function = function;
        this.prime = prime;
    }

    /**
     * Registers the function's hooks with the global CRaC context, and keeps them.
     *
     * @param function the function's short name, for the log
     * @param prime    the priming call: only reads, sends nothing, publishes nothing
     */
    public static Priming register(String function, Runnable prime) {
        Priming priming = new Priming(function, prime);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        restored();
    }

    /** Runs the priming call; never throws (a failure is logged and swallowed). */
    public void prime() {
        long started = System.nanoTime();
        try {
            prime.run();
            Log.info("primed before the snapshot", "function", function, "durationMs", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException | LinkageError failure) {
            // Not rethrown: a failed beforeCheckpoint fails the version's publication (the deploy).
            Log.warn("priming failed; the snapshot is taken unprimed", "function", function,
                    "error", failure.getClass().getName());
        }
    }

    /** Re-creates what is unique per instance; run after each restore, before the first invocation. */
    public static void restored() {
        Randomness.renew();
        Log.info("restored from the snapshot: randomness renewed");
    }
}
