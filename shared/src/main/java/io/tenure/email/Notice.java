package io.tenure.email;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A notice email (reminders, expiry, access ending and ended, check-in, review digest): a subject,
 * paragraphs, optional links and an optional table, rendered by the {@code notice} templates with every value
 * escaped. Each notice names the org and how to reach its admins (SPEC §7).
 */
public final class Notice {
    private final String subject;
    private final List<String> paragraphs = new ArrayList<>();
    private List<String> header = List.of();
    private final List<List<String>> rows = new ArrayList<>();
    private final List<Map<String, String>> links = new ArrayList<>();

    private Notice(String subject) {
        this.subject = subject;
    }

    public static Notice titled(String subject) {
        return new Notice(subject);
    }

    public Notice paragraph(String text) {
        paragraphs.add(text);
        return this;
    }

    /** A link the reader can follow (a button in HTML, {@code label: url} in text), after the paragraphs. */
    public Notice link(String label, String url) {
        links.add(Map.of("label", label, "url", url));
        return this;
    }

    public Notice table(List<String> columns, List<List<String>> cells) {
        header = List.copyOf(columns);
        rows.addAll(cells);
        return this;
    }

    /** The email, from the org's point of view. */
    public EmailMessage render(EmailTemplates templates, String orgName, String contact, List<String> to, List<String> cc) {
        Map<String, Object> model = new HashMap<>();
        model.put("subject", subject);
        model.put("orgName", orgName);
        model.put("contact", contact);
        model.put("paragraphs", paragraphs);
        model.put("header", header);
        model.put("rows", rows.stream().map(r -> Map.of("cells", r, "text", String.join(" | ", r))).toList());
        model.put("hasRows", !rows.isEmpty());
        model.put("links", links);
        return templates.render("notice", model, to, cc);
    }
}
