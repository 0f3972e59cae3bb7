package io.tenure.schedule;

import io.tenure.store.Write;
import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailMessage;
import io.tenure.email.EmailSender;
import io.tenure.log.Log;
import io.tenure.store.TableKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the due steps of one queue (SPEC §6): finds them by Query on DueIndex, claims each with a
 * conditional write (so overlapping or repeated runs do each step once), performs it, and ends it.
 * A step that fails is released for the next run and does not stop this one; the run stops before
 * its deadline and the next run resumes.
 */
public final class DueRunner {
    /** Claims outlive any run (Lambda allows 15 minutes at most), so a crashed run's steps are retried later. */
    static final Duration CLAIM = Duration.ofMinutes(20);
    private static final int PAGE = 25;

    private final DueItems due;
    private final EmailSender email;
    private final Clock clock;

    public DueRunner(DueItems due, EmailSender email, Clock clock) {
        this.due = due;
        this.email = email;
        this.clock = clock;
    }

    /** Runs the queue's due items with the registered {@code steps}; an item of a kind without a step is skipped. */
    public RunSummary run(DueKind.Queue queue, Map<DueKind, Step> steps, Deadline deadline) {
        long started = System.nanoTime();
        Run run = new Run();
        int found = 0;
        int done = 0;
        int skipped = 0;
        int failed = 0;
        boolean stoppedEarly = false;
        Instant now = clock.instant();
        shards:
        for (int shard = 0; shard < TableKeys.Due.SHARDS; shard++) {
            DueItem after = null;
            List<DueItem> page;
            do {
                page = due.due(queue, shard, now, PAGE, after);
                for (DueItem item : page) {
                    if (deadline.nearlyOver()) {
                        stoppedEarly = true;
                        break shards;
                    }
                    found++;
                    switch (process(item, steps.get(item.kind()), run)) {
                        case DONE -> done++;
                        case SKIPPED -> skipped++;
                        case FAILED -> failed++;
                    }
                    after = item;
                }
            } while (page.size() == PAGE);
        }
        return new RunSummary(queue.key(), found, done, skipped, failed, run.emailsSent, stoppedEarly,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * A dry run of {@link #run}'s read side: the first page of due items of each shard, queried as
     * a run queries them; claims, performs and changes nothing. SnapStart priming runs it before
     * the snapshot (docs/snapstart.md).
     *
     * @return how many items those pages hold
     */
    public int peek(DueKind.Queue queue) {
        Instant now = clock.instant();
        int found = 0;
        for (int shard = 0; shard < TableKeys.Due.SHARDS; shard++) {
            found += due.due(queue, shard, now, PAGE, null).size();
        }
        return found;
    }

    private Outcome process(DueItem item, Step step, Run run) {
        Instant now = clock.instant();
        if (step == null || !due.claim(item, run.id, now, now.plus(CLAIM))) {
            return Outcome.SKIPPED;
        }
        run.current = item;
        try {
            StepResult result = step.perform(item, run);
            if (result instanceof StepResult.Later later) {
                due.reschedule(item, run.id, later.at());
                return Outcome.SKIPPED;
            }
            List<Write> with = result instanceof StepResult.Done done ? done.with() : List.of();
            due.finish(item, run.id, with);
            return result instanceof StepResult.Done ? Outcome.DONE : Outcome.SKIPPED;
        } catch (EmailDeliveryException | RuntimeException failure) {
            // Left for the next run; what was sent is recorded on the item and not sent again.
            due.release(item, run.id);
            Log.warn("due step failed, retried next run", "kind", item.kind().key(), "targetId", item.targetId(),
                    "error", failure.getClass().getSimpleName());
            return Outcome.FAILED;
        } finally {
            run.current = null;
        }
    }

    private enum Outcome { DONE, SKIPPED, FAILED }

    /** One run: its id (the owner of its claims), what its steps read, and its email counter. */
    private final class Run implements DueRun {
        final String id = "run-" + UUID.randomUUID();
        private final Map<String, Object> remembered = new HashMap<>();
        private int emailsSent;
        private DueItem current;

        @Override
        public Instant now() {
            return clock.instant();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T remember(String key, java.util.function.Supplier<T> read) {
            return (T) remembered.computeIfAbsent(key, k -> read.get());
        }

        @Override
        public void send(String name, EmailMessage message) throws EmailDeliveryException {
            if (current.sentTo().contains(name)) {
                return;
            }
            email.send(message);
            emailsSent++;
            due.markSent(current, id, name);
        }

        @Override
        public boolean sent(String name) {
            return current.sentTo().contains(name);
        }
    }
}
