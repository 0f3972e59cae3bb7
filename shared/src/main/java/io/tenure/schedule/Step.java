package io.tenure.schedule;

import io.tenure.email.EmailDeliveryException;

/**
 * What to do for one kind of due item, once the run holds its claim. Features register their
 * steps with a {@link DueRunner}; the engine knows none of them.
 */
@FunctionalInterface
public interface Step {
    /**
     * Applies the step: its state change (idempotent: a retry finds it done and goes on), then its
     * emails through {@code run}. Answers what ends the step ({@link StepResult}).
     */
    StepResult perform(DueItem item, DueRun run) throws EmailDeliveryException;
}
