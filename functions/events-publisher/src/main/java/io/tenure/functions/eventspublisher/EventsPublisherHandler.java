package io.tenure.functions.eventspublisher;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tenure.events.EventOutbox;
import io.tenure.log.Log;
import io.tenure.runtime.Services;
import io.tenure.schedule.Deadline;
import io.tenure.runtime.Priming;
import java.util.Map;

/** Every minute: publishes the outbox's events on EventBridge (SPEC §10) and returns what it did. */
public class EventsPublisherHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    static final long MARGIN_MILLIS = 10_000;

    private final EventOutbox outbox;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public EventsPublisherHandler() {
        this(Services.get().eventOutbox());
        Priming.register("events-publisher", this::prime);
    }

    /** For tests: the outbox to drain. */
    public EventsPublisherHandler(EventOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.invocation(context, () -> outbox.run(new Deadline(context::getRemainingTimeInMillis, MARGIN_MILLIS)));
    }

    /**
     * The SnapStart priming call: a dry run of the outbox's reads: the first batch of each shard, turned into
     * events and not sent, nothing claimed.
     */
    private void prime() {
        outbox.peek();
    }
}
