package io.tenure.schedule;

/**
 * The time-driven steps of SPEC §6. Each belongs to one queue: the expiry sweep (every 15 minutes)
 * or the reminders (hourly).
 */
public enum DueKind {
    INVITE_NUDGE("invite_nudge", Queue.REMINDERS),
    INVITE_EXPIRY("invite_expiry", Queue.SWEEP),
    ACCESS_WARN_14D("access_warn_14d", Queue.REMINDERS),
    ACCESS_WARN_7D("access_warn_7d", Queue.REMINDERS),
    ACCESS_END("access_end", Queue.SWEEP),
    CHECKIN_30D("checkin_30d", Queue.REMINDERS),
    /** A calendar quarter starts: open the org's access review and email its admins the link (issue 14). */
    QUARTERLY_REVIEW("quarterly_review", Queue.REMINDERS),
    /** An org turned inactivity removal on or changed its days: plan each collaborator's warning. */
    INACTIVITY_PLAN("inactivity_plan", Queue.REMINDERS),
    /** A collaborator inactive for the org's days less 7: warn them and their inviter. */
    INACTIVE_WARN("inactive_warn", Queue.REMINDERS),
    /** A warned collaborator still inactive at the org's days: remove them. */
    INACTIVE_REMOVAL("inactive_removal", Queue.SWEEP),
    /** An invitation request no admin decided in time expires (issue 14). */
    REQUEST_EXPIRY("request_expiry", Queue.SWEEP),
    /** An access review open 7 days: remind the reviewers of its undecided items (issue 14). */
    REVIEW_REMIND("review_remind", Queue.REMINDERS),
    /** An access review open 14 days: escalate its undecided items to every admin. */
    REVIEW_ESCALATE("review_escalate", Queue.REMINDERS),
    /** An access review's end date: close it, recording the members left undecided. */
    REVIEW_CLOSE("review_close", Queue.REMINDERS);

    private final String key;
    private final Queue queue;

    DueKind(String key, Queue queue) {
        this.key = key;
        this.queue = queue;
    }

    /** The name used in keys. */
    public String key() {
        return key;
    }

    public Queue queue() {
        return queue;
    }

    public static DueKind of(String key) {
        for (DueKind kind : values()) {
            if (kind.key.equals(key)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown due kind " + key);
    }

    /** Which scheduled function does a kind of step. */
    public enum Queue {
        SWEEP("sweep"), REMINDERS("remind");

        private final String key;

        Queue(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }
}
