package io.tenure.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test steps around invitations: read the accept token from the newest email to an address. */
final class Invitations {
    private static final Pattern TOKEN = Pattern.compile("/invitations/accept\\?token=([A-Za-z0-9_-]{43})");

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
}
