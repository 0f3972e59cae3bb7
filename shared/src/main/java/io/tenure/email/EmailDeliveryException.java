package io.tenure.email;

/** The email service refused or could not take a message. Its message is safe to store and show. */
public final class EmailDeliveryException extends Exception {
    public EmailDeliveryException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
