package io.tenure.invitation;

import io.tenure.email.EmailDeliveryException;
import io.tenure.email.EmailMessage;
import io.tenure.email.EmailSender;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake email sender for unit tests of one service; end-to-end tests use the SES emulator. */
final class FakeEmailSender implements EmailSender {
    final List<EmailMessage> sent = new CopyOnWriteArrayList<>();
    volatile boolean down;

    @Override
    public String send(EmailMessage message) throws EmailDeliveryException {
        if (down) {
            throw new EmailDeliveryException("The email service could not be reached.", null);
        }
        sent.add(message);
        return "msg-" + sent.size();
    }
}
