package io.tenure.email;

import java.util.List;

/** One email to send: multipart text and HTML (SPEC §7). */
public record EmailMessage(List<String> to, List<String> cc, String subject, String text, String html) {
    public EmailMessage {
        to = List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        // Subjects never carry line breaks, so no header can be injected through them.
        subject = subject.replaceAll("[\\r\\n]+", " ").strip();
    }
}
