package io.tenure.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test steps around emailed links: the accept token of the newest email to an address, and the
 * two links of a 30-day check-in email.
 */
final class Invitations {
    private static final Pattern TOKEN = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_-]{43})");
    private static final Pattern CHECKIN_LINK = Pattern.compile("(Still needed|Remove access): \\S+/checkins/answer\\?token=([A-Za-z0-9_-]{43})");

    private Invitations() {
    }

    /** The token of the newest invitation email to {@code address}, waiting (bounded) for it. */
    static String tokenFromEmail(LocalStack stack, String address) {
        return Await.value(Duration.ofSeconds(10), "an invitation email to " + address, () -> {
            List<Map<String, Object>> emails = SesMailbox.emailsTo(stack.sesUrl(), address);
            for (int i = emails.size() - 1; i >= 0; i--) {
                Matcher link = TOKEN.matcher(SesMailbox.text(emails.get(i)));
                if (link.find()) {
                    return java.util.Optional.of(link.group(1));
                }
            }
            return java.util.Optional.empty();
        });
    }

    /** Every invitation token sent to {@code address}, oldest first. */
    static List<String> allTokens(LocalStack stack, String address) {
        return SesMailbox.emailsTo(stack.sesUrl(), address).stream()
                .map(SesMailbox::text)
                .map(TOKEN::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1))
                .toList();
    }

    /**
     * The tokens of the one 30-day check-in email about {@code member} among {@code emails}, by
     * link: "Still needed" and "Remove access".
     */
    static Map<String, String> checkinTokens(List<Map<String, Object>> emails, String member) {
        List<Map<String, Object>> about = emails.stream()
                .filter(e -> String.valueOf(e.get("subject")).startsWith("30-day check-in: " + member + " in ")).toList();
        org.assertj.core.api.Assertions.assertThat(about).as("check-in emails about " + member).hasSize(1);
        Map<String, String> tokens = new java.util.HashMap<>();
        Matcher link = CHECKIN_LINK.matcher(SesMailbox.text(about.get(0)));
        while (link.find()) {
            tokens.put(link.group(1), link.group(2));
        }
        org.assertj.core.api.Assertions.assertThat(tokens).as("the check-in email's links").containsOnlyKeys("Still needed", "Remove access");
        return tokens;
    }
}
