package io.tenure.schedule;

import io.tenure.store.Write;
import java.util.List;

/** How a step ended: done (with writes to commit with its end), skipped because it no longer applies, or moved later. */
public sealed interface StepResult {
    /** The step was done; {@code with} commits in the same transaction that ends it. */
    record Done(List<Write> with) implements StepResult {
        public Done {
            with = List.copyOf(with);
        }
    }

    /** The step no longer applies (its target changed meanwhile); it ends without email. */
    record Skipped() implements StepResult {
    }

    /** The step is not due yet after all (its target changed meanwhile): it waits until {@code at}, with nothing sent. */
    record Later(java.time.Instant at) implements StepResult {
    }

    static StepResult done() {
        return new Done(List.of());
    }

    static StepResult doneWith(List<Write> with) {
        return new Done(with);
    }

    static StepResult doneWith(Write with) {
        return new Done(List.of(with));
    }

    static StepResult skipped() {
        return new Skipped();
    }

    static StepResult later(java.time.Instant at) {
        return new Later(at);
    }
}
