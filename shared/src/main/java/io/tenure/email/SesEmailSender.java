package io.tenure.email;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.Message;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/** Sends through SESv2 {@code SendEmail} from the sender address, with the template's configuration set. */
public final class SesEmailSender implements EmailSender {
    private final SesV2Client ses;
    private final String sender;
    private final String configurationSet;

    public SesEmailSender(SesV2Client ses, String sender, String configurationSet) {
        this.ses = ses;
        this.sender = sender;
        this.configurationSet = configurationSet;
    }

    @Override
    public String send(EmailMessage message) throws EmailDeliveryException {
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .fromEmailAddress(sender)
                .destination(Destination.builder().toAddresses(message.to()).ccAddresses(message.cc()).build())
                .content(EmailContent.builder().simple(Message.builder()
                        .subject(utf8(message.subject()))
                        .body(Body.builder().text(utf8(message.text())).html(utf8(message.html())).build())
                        .build()).build());
        if (configurationSet != null && !configurationSet.isBlank()) {
            request.configurationSetName(configurationSet);
        }
        try {
            return ses.sendEmail(request.build()).messageId();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            throw new EmailDeliveryException("The email service refused the message" + (code == null ? "" : " (" + code + ")") + ".", e);
        } catch (SdkClientException e) {
            throw new EmailDeliveryException("The email service could not be reached.", e);
        } catch (SdkException e) {
            throw new EmailDeliveryException("The email could not be sent.", e);
        }
    }

    private static Content utf8(String data) {
        return Content.builder().charset("UTF-8").data(data).build();
    }
}
