package io.tenure.email;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * Renders the emails of SPEC §7 from Mustache templates on the class path
 * ({@code email/<kind>.subject|txt|html.mustache}). HTML output escapes every value; the text
 * and subject parts are plain text, so they are not HTML-escaped.
 */
public final class EmailTemplates {
    private final MustacheFactory html = new DefaultMustacheFactory("email");
    private final MustacheFactory plain = new DefaultMustacheFactory("email") {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    };

    /** The email of this kind for these recipients, filled from the model. */
    public EmailMessage render(String kind, Map<String, Object> model, List<String> to, List<String> cc) {
        return new EmailMessage(to, cc,
                run(plain, kind + ".subject.mustache", model),
                run(plain, kind + ".txt.mustache", model),
                run(html, kind + ".html.mustache", model));
    }

    private static String run(MustacheFactory factory, String name, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        factory.compile(name).execute(out, model);
        return out.toString();
    }
}
