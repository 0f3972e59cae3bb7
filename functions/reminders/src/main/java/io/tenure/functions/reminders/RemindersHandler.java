package io.tenure.functions.reminders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tenure.log.Log;
import io.tenure.runtime.Services;
import io.tenure.schedule.Deadline;
import io.tenure.lifecycle.Reminders;
import io.tenure.runtime.Priming;
import java.util.Map;

/**
 * Runs on its EventBridge schedule (the event's content does not matter: each run does what is
 * due now) and returns a summary of the run. It stops with time to spare before the function's
 * time limit; the next run picks up the rest.
 */
public class RemindersHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Stop this long before the time limit, so the step in progress can finish. */
    static final long MARGIN_MILLIS = 20_000;

    private final Reminders work;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public RemindersHandler() {
        this(Services.get().reminders());
        Priming.register("reminders", this::prime);
    }

    /** For tests: the service to run. */
    public RemindersHandler(Reminders work) {
        this.work = work;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.invocation(context, () -> work.run(new Deadline(context::getRemainingTimeInMillis, MARGIN_MILLIS)).reported());
    }

    /**
     * The SnapStart priming call: a dry run of the reminders' reads: the first page of due items of each
     * shard, nothing claimed, sent or changed.
     */
    private void prime() {
        work.peek();
    }
}
