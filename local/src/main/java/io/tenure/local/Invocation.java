package io.tenure.local;

import java.util.ArrayList;
import java.util.List;

/**
 * One run of a function's handler. The worker thread running it carries it, so the IAM decider can
 * refuse every AWS call of an invocation the stack abandoned at the function's timeout: in Lambda
 * that run would have been stopped, and nothing after the timeout would reach AWS. It also keeps
 * the AWS calls the run made, in order, so tests can hold each operation to its request budget,
 * and the events the run caused (its PutEvents entries, the events SES publishes for its emails),
 * which the bus delivers once the run has returned.
 */
final class Invocation {
    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

    private final String functionId;
    private final String requestId;
    private final String apiRequestId;
    private final List<String> calls = new ArrayList<>();
    private final List<FakeEventBridge.BusEvent> produced = new ArrayList<>();
    private volatile boolean abandoned;

    /**
     * @param apiRequestId the HTTP API's request id ({@code apigw-requestid}) when API Gateway
     *                     started this run, else null
     */
    Invocation(String functionId, String requestId, String apiRequestId) {
        this.functionId = functionId;
        this.requestId = requestId;
        this.apiRequestId = apiRequestId;
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

    String apiRequestId() {
        return apiRequestId;
    }

    /** Notes one AWS call of this run, as {@code service:Operation} (e.g. {@code dynamodb:GetItem}). */
    void recordCall(String call) {
        synchronized (calls) {
            calls.add(call);
        }
    }

    /** Notes an event this run caused, for the bus to deliver after the run returns. */
    void produced(FakeEventBridge.BusEvent event) {
        synchronized (produced) {
            produced.add(event);
        }
    }

    /** The events this run caused and nobody took yet, oldest first; takes them. */
    List<FakeEventBridge.BusEvent> takeProduced() {
        synchronized (produced) {
            List<FakeEventBridge.BusEvent> taken = List.copyOf(produced);
            produced.clear();
            return taken;
        }
    }

    /** The AWS calls this run made so far, oldest first. */
    List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }
}
