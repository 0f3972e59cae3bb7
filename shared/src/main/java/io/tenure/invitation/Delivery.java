package io.tenure.invitation;

/** What happened to the last invitation email: sent, failed, bounced or complained. */
public record Delivery(String status, String messageId, String error) {
    public static Delivery sent(String messageId) {
        return new Delivery("sent", messageId, null);
    }

    public static Delivery failed(String error) {
        return new Delivery("failed", null, error);
    }
}
