package io.tenure.local;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What SES publishes through a configuration set's event destinations after a SESv2 SendEmail it
 * accepted, for the recipients that are SES mailbox simulator addresses (the local part may carry
 * a {@code +label}, as SES allows):
 *
 * <ul>
 *   <li>{@code success@simulator.amazonses.com}: Delivery;</li>
 *   <li>{@code bounce@simulator.amazonses.com}: Bounce, Permanent/General;</li>
 *   <li>{@code complaint@simulator.amazonses.com}: Delivery, then Complaint (abuse);</li>
 *   <li>{@code suppressionlist@simulator.amazonses.com}: Bounce, Permanent/OnAccountSuppressionList.</li>
 * </ul>
 *
 * <p>Any other recipient produces no event here: locally no mail server answers for it. An event
 * is published only through the template's enabled event destinations of the configuration set
 * the SendEmail named, whose MatchingEventTypes hold its type, to the EventBridge bus the
 * destination names, in the shape SES's EventBridge events have. Times come from the stack's clock.
 */
final class SesEventPublishing {
    private static final Pattern SIMULATOR = Pattern.compile(
            "(success|bounce|complaint|suppressionlist)(\\+[^@]*)?@simulator\\.amazonses\\.com", Pattern.CASE_INSENSITIVE);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    // The reporting MTAs and answers SES's own examples show; no mail server is involved locally.
    private static final String SES_MTA = "a8-70.smtp-out.amazonses.com";
    private static final String SUPPRESSED = "Amazon SES did not send the message to this address because it is on the"
            + " suppression list for your account. For more information about removing addresses from the suppression"
            + " list, see the Amazon SES Developer Guide at"
            + " https://docs.aws.amazon.com/ses/latest/DeveloperGuide/sending-email-suppression-list.html";

    /** One kind of SES event: its eventType, its EventBridge detail-type and its MatchingEventTypes name. */
    private enum Kind {
        DELIVERY("Delivery", "Email Delivered", "delivery"),
        BOUNCE("Bounce", "Email Bounced", "bounce"),
        COMPLAINT("Complaint", "Email Complaint Received", "complaint");

        final String eventType;
        final String detailType;
        final String matchingType;

        Kind(String eventType, String detailType, String matchingType) {
            this.eventType = eventType;
            this.detailType = detailType;
            this.matchingType = matchingType;
        }
    }

    private final List<TemplateModel.SesEventDestination> destinations;
    private final Clock clock;

    SesEventPublishing(List<TemplateModel.SesEventDestination> destinations, Clock clock) {
        this.destinations = List.copyOf(destinations);
        this.clock = clock;
    }

    /**
     * The events SES publishes for one accepted SendEmail, in the order it publishes them.
     *
     * @param request the SendEmail request's fields (FromEmailAddress, Destination, ConfigurationSetName, EmailTags)
     * @param response the answer's fields (MessageId)
     */
    List<FakeEventBridge.BusEvent> eventsFor(Map<String, Object> request, Map<String, Object> response) {
        Object configurationSet = request.get("ConfigurationSetName");
        Object messageId = response.get("MessageId");
        if (configurationSet == null || messageId == null) {
            return List.of(); // no configuration set: SES publishes no event
        }
        List<TemplateModel.SesEventDestination> publishing = destinations.stream()
                .filter(d -> d.enabled() && d.eventBusName() != null && configurationSet.equals(d.configurationSetName()))
                .toList();
        if (publishing.isEmpty()) {
            return List.of();
        }
        Instant sent = clock.instant();
        Map<String, Object> mail = mail(request, String.valueOf(configurationSet), String.valueOf(messageId), sent);
        List<FakeEventBridge.BusEvent> events = new ArrayList<>();
        for (Object recipient : TemplateModel.list(mail.get("destination"))) {
            Matcher simulator = SIMULATOR.matcher(address(String.valueOf(recipient)));
            if (!simulator.matches()) {
                continue;
            }
            String address = String.valueOf(recipient);
            String outcome = simulator.group(1).toLowerCase(Locale.ROOT);
            List<Map.Entry<Kind, Map<String, Object>>> produced = switch (outcome) {
                case "success" -> List.of(Map.entry(Kind.DELIVERY, delivery(address, sent)));
                case "bounce" -> List.of(Map.entry(Kind.BOUNCE, bounce(address, "General", "5.1.1",
                        "smtp; 550 5.1.1 user unknown", "dsn; " + SES_MTA, sent)));
                case "complaint" -> List.of(Map.entry(Kind.DELIVERY, delivery(address, sent)),
                        Map.entry(Kind.COMPLAINT, complaint(address, sent)));
                default -> List.of(Map.entry(Kind.BOUNCE, bounce(address, "OnAccountSuppressionList", "5.1.1",
                        SUPPRESSED, "dns; amazonses.com", sent)));
            };
            for (Map.Entry<Kind, Map<String, Object>> event : produced) {
                for (TemplateModel.SesEventDestination destination : publishing) {
                    if (matches(destination, event.getKey())) {
                        events.add(new FakeEventBridge.BusEvent(destination.eventBusName(),
                                envelope(event.getKey(), String.valueOf(configurationSet), mail, event.getValue()),
                                "SES " + destination.logicalId()));
                    }
                }
            }
        }
        return events;
    }

    /** Whether the destination publishes this kind: MatchingEventTypes as CloudFormation (delivery) or SESv2 (DELIVERY) spell it. */
    private static boolean matches(TemplateModel.SesEventDestination destination, Kind kind) {
        return destination.matchingEventTypes().stream()
                .anyMatch(type -> type.replace("_", "").equalsIgnoreCase(kind.matchingType));
    }

    private Map<String, Object> envelope(Kind kind, String configurationSet, Map<String, Object> mail,
                                         Map<String, Object> typeObject) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("eventType", kind.eventType);
        detail.put("mail", mail);
        detail.put(kind.eventType.toLowerCase(Locale.ROOT), typeObject);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", kind.detailType);
        event.put("source", "aws.ses");
        event.put("account", TemplateModel.ACCOUNT_ID);
        event.put("time", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", TemplateModel.REGION);
        event.put("resources", List.of("arn:aws:ses:" + TemplateModel.REGION + ":" + TemplateModel.ACCOUNT_ID
                + ":configuration-set/" + configurationSet));
        event.put("detail", detail);
        return event;
    }

    /** The mail object every event of the message carries. */
    private static Map<String, Object> mail(Map<String, Object> request, String configurationSet, String messageId,
                                            Instant sent) {
        String from = String.valueOf(request.get("FromEmailAddress"));
        String fromAddress = address(from);
        Map<String, Object> destination = TemplateModel.map(request.get("Destination"));
        List<Object> recipients = new ArrayList<>();
        for (String field : List.of("ToAddresses", "CcAddresses", "BccAddresses")) {
            recipients.addAll(TemplateModel.list(destination.get(field)));
        }
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("ses:configuration-set", List.of(configurationSet));
        tags.put("ses:from-domain", List.of(fromAddress.substring(fromAddress.indexOf('@') + 1)));
        for (Object tag : TemplateModel.list(request.get("EmailTags"))) {
            Map<String, Object> nameValue = TemplateModel.map(tag);
            tags.put(String.valueOf(nameValue.get("Name")), List.of(String.valueOf(nameValue.get("Value"))));
        }
        Map<String, Object> mail = new LinkedHashMap<>();
        mail.put("timestamp", MILLIS.format(sent));
        mail.put("source", from);
        mail.put("sourceArn", request.get("FromEmailAddressIdentityArn") != null
                ? String.valueOf(request.get("FromEmailAddressIdentityArn"))
                : "arn:aws:ses:" + TemplateModel.REGION + ":" + TemplateModel.ACCOUNT_ID + ":identity/" + fromAddress);
        mail.put("sendingAccountId", TemplateModel.ACCOUNT_ID);
        mail.put("messageId", messageId);
        mail.put("destination", recipients);
        mail.put("tags", tags);
        return mail;
    }

    private Map<String, Object> delivery(String recipient, Instant sent) {
        Instant now = clock.instant();
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("timestamp", MILLIS.format(now));
        delivery.put("processingTimeMillis", Math.max(0, now.toEpochMilli() - sent.toEpochMilli()));
        delivery.put("recipients", List.of(address(recipient)));
        delivery.put("smtpResponse", "250 2.6.0 Message received");
        delivery.put("reportingMTA", SES_MTA);
        return delivery;
    }

    private Map<String, Object> bounce(String recipient, String subType, String status, String diagnosticCode,
                                       String reportingMta, Instant sent) {
        Map<String, Object> bounced = new LinkedHashMap<>();
        bounced.put("emailAddress", address(recipient));
        bounced.put("action", "failed");
        bounced.put("status", status);
        bounced.put("diagnosticCode", diagnosticCode);
        Map<String, Object> bounce = new LinkedHashMap<>();
        bounce.put("feedbackId", feedbackId(sent));
        bounce.put("bounceType", "Permanent");
        bounce.put("bounceSubType", subType);
        bounce.put("bouncedRecipients", List.of(bounced));
        bounce.put("timestamp", MILLIS.format(clock.instant()));
        bounce.put("reportingMTA", reportingMta);
        return bounce;
    }

    private Map<String, Object> complaint(String recipient, Instant sent) {
        Instant now = clock.instant();
        Map<String, Object> complaint = new LinkedHashMap<>();
        complaint.put("feedbackId", feedbackId(sent));
        complaint.put("complainedRecipients", List.of(Map.of("emailAddress", address(recipient))));
        complaint.put("timestamp", MILLIS.format(now));
        complaint.put("userAgent", "Amazon SES Mailbox Simulator");
        complaint.put("complaintFeedbackType", "abuse");
        complaint.put("arrivalDate", MILLIS.format(now));
        return complaint;
    }

    /** A feedback id shaped as SES's: hex time, a random part, and the {@code -000000} suffix. */
    private static String feedbackId(Instant sent) {
        return String.format(Locale.ROOT, "%016x", sent.toEpochMilli()) + "-" + UUID.randomUUID() + "-000000";
    }

    /** The bare address of {@code "Name" <a@b>} or {@code a@b}. */
    static String address(String recipient) {
        String text = recipient.trim();
        int open = text.lastIndexOf('<');
        int close = text.lastIndexOf('>');
        return open >= 0 && close > open ? text.substring(open + 1, close).trim() : text;
    }
}
