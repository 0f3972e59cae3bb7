package io.tenure.schedule;

import io.tenure.store.Write;
import java.util.List;

/** How a step ended: done (with writes to commit with its end), or skipped because it no longer applies. */
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
}
