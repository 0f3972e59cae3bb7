package io.tenure.functions.expirysweep;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tenure.log.Log;
import io.tenure.runtime.Services;
import io.tenure.schedule.Deadline;
import io.tenure.lifecycle.ExpirySweep;
import io.tenure.runtime.Priming;
import java.util.Map;

/**
 * Runs on its EventBridge schedule (the event's content does not matter: each run does what is
 * due now) and returns a summary of the run. It stops with time to spare before the function's
 * time limit; the next run picks up the rest.
 */
public class ExpirySweepHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Stop this long before the time limit, so the step in progress can finish. */
    static final long MARGIN_MILLIS = 20_000;

    private final ExpirySweep work;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public ExpirySweepHandler() {
        this(Services.get().expirySweep());
        Priming.register("expiry-sweep", this::prime);
    }

    /** For tests: the service to run. */
    public ExpirySweepHandler(ExpirySweep work) {
        this.work = work;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.invocation(context, () -> work.run(new Deadline(context::getRemainingTimeInMillis, MARGIN_MILLIS)).reported());
    }

    /**
     * The SnapStart priming call: a dry run of the sweep's reads: the first page of due items of each shard,
     * nothing claimed or changed.
     */
    private void prime() {
        work.peek();
    }
}
