package io.tenure.id;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** For tests: puts {@link Randomness} in the state a snapshot would resume it in, the same every time. */
public final class SnapshotState {
    private SnapshotState() {
    }

    /**
     * A generator whose bytes are fixed by {@code seed} (SHA1PRNG seeded before its first use), as
     * the generator of one snapshot resumed twice would draw the same bytes in both instances.
     */
    public static void resume(long seed) {
        try {
            SecureRandom replayed = SecureRandom.getInstance("SHA1PRNG");
            replayed.setSeed(seed);
            Randomness.use(replayed);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
