package io.tenure.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every email kind, with markup in every value its templates show, has none of it unescaped in
 * its HTML part. The fuzz suite checks the emails routes send through the SES emulator; this
 * covers the scheduled ones (reminders, expiry, check-ins, digests) that share the notice template.
 */
class EmailEscapingTest {
    private static final List<String> MARKUP = List.of("<script>alert('fz')</script>", "<img src=x onerror=alert(1)>",
            "\"><svg onload=alert(1)>", "' onmouseover='alert(1)", "</td></tr></table><h1>fz</h1>", "<b>fz</b>");
    private static final List<String> UNESCAPED = List.of("<script", "<img", "<svg", "' onmouseover='", "<h1>fz", "<b>fz");

    @Test
    void everyValueOfEveryEmailKindIsEscapedInTheHtmlPart() {
        EmailTemplates templates = new EmailTemplates();
        for (String markup : MARKUP) {
            for (String kind : List.of("invitation", "welcome", "accepted", "notice")) {
                String html = templates.render(kind, model(markup), List.of("x@partner.example"), List.of()).html().toLowerCase(Locale.ROOT);
                assertThat(UNESCAPED).as(kind + " with " + markup).noneMatch(html::contains);
                // Not vacuous: the value is there, escaped.
                assertThat(html).as(kind + " shows the value").containsAnyOf("alert", "fz");
            }
        }
    }

    /** Every name the email templates use, each holding the markup. */
    private static Map<String, Object> model(String markup) {
        Map<String, Object> model = new HashMap<>();
        for (String key : List.of("acceptUrl", "accessEndsAt", "contact", "email", "engagement", "expiresAt", "inviter",
                "loginMethod", "loginUrl", "orgName", "orgRoleLabel", "subject")) {
            model.put(key, markup);
        }
        model.put("hasProjects", true);
        model.put("projects", List.of(Map.of("name", markup, "role", markup)));
        model.put("welcomeLinks", List.of(Map.of("title", markup, "url", markup)));
        model.put("paragraphs", List.of(markup));
        model.put("header", List.of(markup));
        model.put("hasRows", true);
        model.put("rows", List.of(Map.of("cells", List.of(markup), "text", markup)));
        return model;
    }
}
