package io.tenure.invitation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What happened to the invitation's latest email. The write that creates or resends the
 * invitation stores {@code sending}, so the stored state always says a send was started; SES's
 * answer turns it into {@code sent} (with SES's message id) or {@code failed}; SES's later reports
 * into {@code delivered} (the receiving server took it, at {@code since}), {@code delayed} (SES
 * is still trying), {@code bounced} or {@code complained}. A send still {@code sending} after
 * {@link #CONFIRM_WITHIN} was cut short (no function runs that long) and reads as
 * {@code unconfirmed}; resending recovers it.
 *
 * @param since when this status was set (absent on records older than this field)
 */
public record Delivery(Status status, String messageId, String error, Instant since) {
    /** Longer than any function that sends an invitation can run (HTTP functions stop at 29 s). */
    public static final Duration CONFIRM_WITHIN = Duration.ofMinutes(2);

    /** Delivery statuses; {@link #UNCONFIRMED} is never stored, only read. */
    public enum Status {
        SENDING, SENT, DELIVERED, DELAYED, FAILED, BOUNCED, COMPLAINED, UNCONFIRMED;

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }

        /** The status of this JSON name, if it is one. */
        public static java.util.Optional<Status> find(String value) {
            return java.util.Arrays.stream(values()).filter(status -> status.value().equals(value)).findFirst();
        }
    }

    public static Delivery sending(Instant at) {
        return new Delivery(Status.SENDING, null, null, at);
    }

    public static Delivery sent(String messageId, Instant at) {
        return new Delivery(Status.SENT, messageId, null, at);
    }

    public static Delivery failed(String error, Instant at) {
        return new Delivery(Status.FAILED, null, error, at);
    }

    /** The delivery as read at {@code now}: a send not confirmed in time reads as unconfirmed. */
    public Delivery asOf(Instant now) {
        if (status == Status.SENDING && since != null && !since.plus(CONFIRM_WITHIN).isAfter(now)) {
            return new Delivery(Status.UNCONFIRMED, null, "The send was not confirmed. Resend the invitation.", since);
        }
        return this;
    }

    /** Whether SES took the latest email and reported no trouble with it (yet): sent or delivered. */
    public boolean untroubled() {
        return status == Status.SENT || status == Status.DELIVERED;
    }

    /**
     * The statuses a report of SES may replace, so reports that arrive out of order never go
     * back: a delay only follows a send or a delay; a delivery, a send or a delay; a bounce or
     * a complaint, any of these or a delivery (a complaint comes after its delivery).
     */
    public static java.util.Set<Status> replaceableBy(Status reported) {
        return switch (reported) {
            case DELAYED -> java.util.EnumSet.of(Status.SENT, Status.DELAYED);
            case DELIVERED -> java.util.EnumSet.of(Status.SENT, Status.DELAYED);
            case BOUNCED, COMPLAINED -> java.util.EnumSet.of(Status.SENT, Status.DELAYED, Status.DELIVERED);
            default -> throw new IllegalArgumentException("SES does not report " + reported.value());
        };
    }
}
