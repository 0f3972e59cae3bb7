package io.tenure.local.crac;

import java.util.ArrayList;
import java.util.List;

/**
 * The global context of one function's class loader. As Lambda's runtime documents it,
 * beforeCheckpoint hooks run in the reverse order of registration and afterRestore hooks in the
 * order of registration; every hook runs, and the failures are reported together.
 */
final class GlobalContext extends Context<Resource> {
    // Strong references to what org.crac registered (its proxies); org.crac itself holds the
    // function's own resources weakly, so a function must keep them.
    private final List<Resource> resources = new ArrayList<>();

    @Override
    public synchronized void register(Resource resource) {
        resources.add(resource);
    }

    synchronized int size() {
        return resources.size();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
        List<Resource> order = snapshot();
        CheckpointException failed = null;
        for (int i = order.size() - 1; i >= 0; i--) {
            try {
                order.get(i).beforeCheckpoint(this);
            } catch (Exception e) {
                failed = failed == null ? new CheckpointException() : failed;
                failed.addSuppressed(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws RestoreException {
        RestoreException failed = null;
        for (Resource resource : snapshot()) {
            try {
                resource.afterRestore(this);
            } catch (Exception e) {
                failed = failed == null ? new RestoreException() : failed;
                failed.addSuppressed(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private synchronized List<Resource> snapshot() {
        return new ArrayList<>(resources);
    }
}
