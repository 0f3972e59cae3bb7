package io.tenure.local.crac;

/**
 * The local stack's CRaC implementation, one copy in each function's class loader (added behind
 * the function's jar by {@code CracJar}). {@code org.crac.Core} finds it through the system
 * property {@code org.crac.Core.Compat}, as it finds Lambda's in the java21 runtime, so a
 * function's {@code Core.getGlobalContext().register(...)} lands here. The local stack then runs
 * the hooks as Lambda does when it publishes a version with SnapStart on: {@link #beforeCheckpoint}
 * after the handler is constructed, then {@link #afterRestore}, before the first invocation.
 */
public final class Core {
    private static final GlobalContext GLOBAL = new GlobalContext();

    private Core() {
    }

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    /** As in Lambda: a function cannot ask for a checkpoint itself. */
    public static void checkpointRestore() {
        throw new UnsupportedOperationException("Lambda takes the snapshot when it publishes a version");
    }

    /** Runs every registered beforeCheckpoint hook (last registered first). */
    public static void beforeCheckpoint() throws CheckpointException {
        GLOBAL.beforeCheckpoint(null);
    }

    /** Runs every registered afterRestore hook (first registered first). */
    public static void afterRestore() throws RestoreException {
        GLOBAL.afterRestore(null);
    }

    /** How many resources are registered. */
    public static int registered() {
        return GLOBAL.size();
    }
}
