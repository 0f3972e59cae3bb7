package io.tenure.schedule;

import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailMessage;
import java.time.Instant;
import java.util.function.Supplier;

/** One scheduled run, as its steps see it: the time, a per-run memory of reads, and the email sender. */
public interface DueRun {
    Instant now();

    /**
     * The value under {@code key}, read once per run: steps of many items of one org read the org
     * once (the counting tests hold the requests per run).
     */
    <T> T remember(String key, Supplier<T> read);

    /**
     * Sends one email of the current step unless an earlier attempt already did, and records it
     * at once, so a retry after a later failure sends only what is missing.
     */
    void send(String name, EmailMessage message) throws EmailDeliveryException;

    /** Whether an earlier attempt of the current step already sent its email {@code name}. */
    boolean sent(String name);
}
