package io.tenure.local.crac;

/** A beforeCheckpoint hook failed; each failure is a suppressed exception. */
public class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckpointException() {
        super("a beforeCheckpoint hook failed");
    }
}
