package io.tenure.local.crac;

/** An afterRestore hook failed; each failure is a suppressed exception. */
public class RestoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public RestoreException() {
        super("an afterRestore hook failed");
    }
}
