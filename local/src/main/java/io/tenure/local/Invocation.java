package io.tenure.local;

/**
 * One run of a function's handler. The worker thread running it carries it, so the IAM decider can
 * refuse every AWS call of an invocation the stack abandoned at the function's timeout: in Lambda
 * that run would have been stopped, and nothing after the timeout would reach AWS.
 */
final class Invocation {
    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

    private final String functionId;
    private final String requestId;
    private volatile boolean abandoned;

    Invocation(String functionId, String requestId) {
        this.functionId = functionId;
        this.requestId = requestId;
    }

    /** The invocation the calling thread runs, or null outside any. */
    static Invocation current() {
        return CURRENT.get();
    }

    /** Runs {@code work} as this invocation on the calling thread. */
    void runHere(Runnable work) {
        CURRENT.set(this);
        try {
            work.run();
        } finally {
            CURRENT.remove();
        }
    }

    void abandon() {
        abandoned = true;
    }

    boolean abandoned() {
        return abandoned;
    }

    String functionId() {
        return functionId;
    }

    String requestId() {
        return requestId;
    }
}
