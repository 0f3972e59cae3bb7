package io.tenure.schedule;

import io.tenure.store.Write;
import io.tenure.email.EmailDeliveryException;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** What to do for one kind of due item, once the run holds its claim. */
@FunctionalInterface
interface Step {
    /**
     * Applies the step: its state change (idempotent: a retry finds it done and goes on), then its
     * emails through {@code run}. Returns the writes that commit together with the step's end, or
     * null when the step no longer applies (it ends without email).
     */
    List<Write> perform(DueItem item, DueRunner.Run run) throws EmailDeliveryException;
}
