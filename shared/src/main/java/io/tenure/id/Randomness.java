package io.tenure.id;

import java.security.SecureRandom;

/**
 * The one source of secure randomness behind ids ({@link Ids}), invitation tokens and API key
 * secrets, which {@link #renew} replaces after a SnapStart restore.
 *
 * <p>With SnapStart, Lambda resumes many execution environments from one snapshot of memory. A
 * generator made before the snapshot would resume in every one of them with the same state, so
 * two instances could draw the same bytes. The function's restore hook
 * ({@code io.tenure.runtime.Priming}) calls {@link #renew}: a new generator, seeded by the
 * operating system after the restore, and a new generation, on which every {@link Ids} rebuilds
 * its ULID factory (whose monotonic state is part of the snapshot too).
 */
public final class Randomness {
    /** The generator and its generation, swapped together so a reader never pairs one with the other's. */
    record Source(SecureRandom random, long generation) {
    }

    private static volatile Source source = new Source(new SecureRandom(), 0);

    private Randomness() {
    }

    /** The current generator: take it for each use, never keep it (a kept one outlives {@link #renew}). */
    public static SecureRandom secure() {
        return source.random();
    }

    /**
     * Replaces the generator with a new one seeded after this point, and starts a new generation.
     * Called after a SnapStart restore, before the first invocation of the restored instance.
     */
    public static synchronized void renew() {
        SecureRandom fresh = new SecureRandom();
        fresh.nextBytes(new byte[1]); // seeds it now, from the restored machine's entropy, not on first use
        source = new Source(fresh, source.generation() + 1);
    }

    static Source source() {
        return source;
    }

    /** For tests: a given generator (e.g. a seeded one, to play a snapshot resumed twice), as a new generation. */
    static synchronized void use(SecureRandom random) {
        source = new Source(random, source.generation() + 1);
    }
}
