package io.tenure.functions.emailevents;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tenure.invitation.DeliveryFeedback;
import io.tenure.log.Log;
import io.tenure.runtime.Services;
import io.tenure.runtime.Priming;
import java.util.Map;

/**
 * SES bounce and complaint events from EventBridge (the configuration set sends them to the
 * default bus): marks the invitation's delivery and tells the inviter.
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
        if (messageId == null || !(type.equals("Bounce") || type.equals("Complaint"))) {
            return Map.of("result", "ignored");
        }
        String result;
        if (type.equals("Bounce")) {
            Map<String, Object> bounce = (Map<String, Object>) detail.getOrDefault("bounce", Map.of());
            result = feedback.record(messageId, "bounced", "SES bounce: " + bounce.getOrDefault("bounceType", "Unknown")
                    + "/" + bounce.getOrDefault("bounceSubType", "Unknown"));
        } else {
            Map<String, Object> complaint = (Map<String, Object>) detail.getOrDefault("complaint", Map.of());
            result = feedback.record(messageId, "complained", "SES complaint: "
                    + complaint.getOrDefault("complaintFeedbackType", "unspecified"));
        }
        return Map.of("result", result);
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
