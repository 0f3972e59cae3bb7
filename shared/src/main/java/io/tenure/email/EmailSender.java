package io.tenure.email;

/** Sends one email and returns the provider's message id. */
public interface EmailSender {
    String send(EmailMessage message) throws EmailDeliveryException;
}
