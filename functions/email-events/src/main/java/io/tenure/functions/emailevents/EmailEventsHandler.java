package io.tenure.functions.emailevents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tenure.invitation.Delivery;
import io.tenure.invitation.DeliveryFeedback;
import io.tenure.log.Log;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * SES delivery, delay, bounce and complaint events from EventBridge (the configuration set sends
 * them to the default bus): marks the invitation's delivery, and tells the inviter of a bounce or complaint.
 */
public class EmailEventsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final DeliveryFeedback feedback;

    /**
     * Lambda's constructor: real clients, built once per instance, and the SnapStart hooks
     * ({@link Priming}: {@link #prime} before the snapshot, randomness renewed after each restore).
     */
    public EmailEventsHandler() {
        this(Services.get().deliveryFeedback());
        Priming.register("email-events", this::prime);
    }

    /** For tests: the service to call. */
    public EmailEventsHandler(DeliveryFeedback feedback) {
        this.feedback = feedback;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Log.invocation(context, () -> handle(event));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> handle(Map<String, Object> event) {
        Map<String, Object> detail = (Map<String, Object>) event.getOrDefault("detail", Map.of());
        Map<String, Object> mail = (Map<String, Object>) detail.getOrDefault("mail", Map.of());
        String messageId = (String) mail.get("messageId");
        String type = String.valueOf(detail.get("eventType"));
        if (messageId == null) {
            return Map.of("result", "ignored");
        }
        String result = switch (type) {
            case "Delivery" -> {
                Map<String, Object> delivery = (Map<String, Object>) detail.getOrDefault("delivery", Map.of());
                yield feedback.record(messageId, Delivery.Status.DELIVERED, null, instant(delivery.get("timestamp")));
            }
            case "DeliveryDelay" -> {
                Map<String, Object> delay = (Map<String, Object>) detail.getOrDefault("deliveryDelay", Map.of());
                yield feedback.record(messageId, Delivery.Status.DELAYED, "SES delivery delay: " + delay.getOrDefault("delayType", "Undetermined")
                        + diagnostic(delay.get("delayedRecipients")), instant(delay.get("timestamp")));
            }
            case "Bounce" -> {
                Map<String, Object> bounce = (Map<String, Object>) detail.getOrDefault("bounce", Map.of());
                yield feedback.record(messageId, Delivery.Status.BOUNCED, "SES bounce: " + bounce.getOrDefault("bounceType", "Unknown")
                        + "/" + bounce.getOrDefault("bounceSubType", "Unknown"), instant(bounce.get("timestamp")));
            }
            case "Complaint" -> {
                Map<String, Object> complaint = (Map<String, Object>) detail.getOrDefault("complaint", Map.of());
                yield feedback.record(messageId, Delivery.Status.COMPLAINED, "SES complaint: "
                        + complaint.getOrDefault("complaintFeedbackType", "unspecified"), instant(complaint.get("timestamp")));
            }
            default -> "ignored";
        };
        return Map.of("result", result);
    }

    /** SES's timestamp of the event, or null (then the time it is recorded) when absent or unreadable. */
    private static Instant instant(Object timestamp) {
        if (!(timestamp instanceof String text)) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The first delayed recipient's diagnostic (the receiving server's answer), bounded, or nothing. */
    @SuppressWarnings("unchecked")
    private static String diagnostic(Object recipients) {
        if (recipients instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first
                && ((Map<String, Object>) first).get("diagnosticCode") instanceof String code && !code.isBlank()) {
            return " (" + (code.length() > 200 ? code.substring(0, 200) : code) + ")";
        }
        return "";
    }

    /**
     * The SnapStart priming call, which reads only: a bounce of a message Tenure never sent, so the feedback is
     * ignored after one GetItem.
     */
    private void prime() {
        handleRequest(Map.of("source", "aws.ses", "detail-type", "Email Bounced", "detail", Map.of("eventType", "Bounce",
                "mail", Map.of("messageId", "snapstart-priming"),
                "bounce", Map.of("bounceType", "Permanent", "bounceSubType", "General"))), null);
    }
}
