package io.tenure.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the emails SES received, from whichever tier runs it: the SES emulator
 * ({@code GET {sesUrl}/store}) or LocalStack ({@code GET {sesUrl}/_aws/ses}, turned into the
 * emulator's shape), so tests read both the same way.
 */
public final class SesMailbox {
    private SesMailbox() {
    }

    /** Every email received so far: messageId, from, destination {to, cc, bcc}, subject, body {html, text}, at. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> emails(String sesUrl) {
        TestHttp.Response response = TestHttp.get(sesUrl + "/store");
        if (response.status() != 200) {
            return localStackEmails(sesUrl); // not the emulator: LocalStack keeps them at /_aws/ses
        }
        return (List<Map<String, Object>>) response.json().getOrDefault("emails", List.of());
    }

    /**
     * LocalStack's record of sent emails, {@code {"messages": [{Id, Source, Destination: {ToAddresses,
     * CcAddresses, BccAddresses}, Subject, Body: {text_part, html_part}, Timestamp}]}}, in the emulator's shape.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> localStackEmails(String endpoint) {
        TestHttp.Response response = TestHttp.get(endpoint + "/_aws/ses");
        if (response.status() != 200) {
            throw new IllegalStateException("LocalStack's /_aws/ses answered " + response.status() + ": " + response.body());
        }
        List<Map<String, Object>> emails = new ArrayList<>();
        for (Map<String, Object> message : (List<Map<String, Object>>) response.json().getOrDefault("messages", List.of())) {
            Map<String, Object> destination = (Map<String, Object>) message.getOrDefault("Destination", Map.of());
            Map<String, Object> body = (Map<String, Object>) message.getOrDefault("Body", Map.of());
            Map<String, Object> email = new LinkedHashMap<>();
            email.put("messageId", message.get("Id"));
            email.put("from", message.get("Source"));
            email.put("destination", Map.of(
                    "to", destination.getOrDefault("ToAddresses", List.of()),
                    "cc", destination.getOrDefault("CcAddresses", List.of()),
                    "bcc", destination.getOrDefault("BccAddresses", List.of())));
            email.put("subject", message.get("Subject"));
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("text", body.get("text_part"));
            content.put("html", body.get("html_part"));
            email.put("body", content);
            email.put("at", message.get("Timestamp"));
            emails.add(email);
        }
        return emails;
    }

    /**
     * The emails sent to {@code address}: it must stand whole in a recipient (alone, or as
     * {@code Name <address>}), so {@code x@partner.example} does not find mail to
     * {@code fz-x@partner.example}.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> emailsTo(String sesUrl, String address) {
        java.util.regex.Pattern whole = java.util.regex.Pattern.compile("(^|[^a-z0-9._%+-])"
                + java.util.regex.Pattern.quote(address.toLowerCase()) + "($|[^a-z0-9._%+-])");
        return emails(sesUrl).stream().filter(email -> {
            Map<String, Object> destination = (Map<String, Object>) email.getOrDefault("destination", Map.of());
            return ((List<Object>) destination.getOrDefault("to", List.of())).stream()
                    .anyMatch(to -> whole.matcher(String.valueOf(to).toLowerCase()).find());
        }).toList();
    }

    /** Waits (bounded) for the first email to {@code address}. */
    public static Map<String, Object> awaitEmailTo(String sesUrl, String address, Duration timeout) {
        return Await.value(timeout, "an email to " + address,
                () -> emailsTo(sesUrl, address).stream().findFirst());
    }

    /** An email's text body. */
    @SuppressWarnings("unchecked")
    public static String text(Map<String, Object> email) {
        return String.valueOf(((Map<String, Object>) email.getOrDefault("body", Map.of())).get("text"));
    }

}
