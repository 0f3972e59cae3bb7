package io.tenure.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads the emails the SES emulator received ({@code GET {sesUrl}/store}). */
public final class SesMailbox {
    private SesMailbox() {
    }

    /** Every email received so far: messageId, from, destination {to, cc, bcc}, subject, body {html, text}, at. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> emails(String sesUrl) {
        TestHttp.Response response = TestHttp.get(sesUrl + "/store");
        if (response.status() != 200) {
            throw new IllegalStateException("The SES emulator answered " + response.status());
        }
        return (List<Map<String, Object>>) response.json().getOrDefault("emails", List.of());
    }

    /** The emails sent to {@code address}. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> emailsTo(String sesUrl, String address) {
        return emails(sesUrl).stream().filter(email -> {
            Map<String, Object> destination = (Map<String, Object>) email.getOrDefault("destination", Map.of());
            return ((List<Object>) destination.getOrDefault("to", List.of())).stream()
                    .anyMatch(to -> String.valueOf(to).toLowerCase().contains(address.toLowerCase()));
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
