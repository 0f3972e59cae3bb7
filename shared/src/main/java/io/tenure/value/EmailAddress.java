package io.tenure.value;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Email address rules (SPEC §5): what is accepted, the emailKey that identifies a person in an org,
 * and the canonical form that finds variants of one mailbox.
 */
public final class EmailAddress {
    private static final Pattern LOCAL = Pattern.compile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$");
    private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");
    private static final Set<String> GMAIL = Set.of("gmail.com", "googlemail.com");
    /** Free mail providers refused when an org sets {@code blockConsumerDomains}. */
    public static final Set<String> CONSUMER_DOMAINS = Set.of("gmail.com", "googlemail.com", "yahoo.com", "ymail.com",
            "hotmail.com", "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com",
            "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "mail.com", "yandex.com", "yandex.ru",
            "zoho.com", "web.de", "qq.com", "163.com");

    private EmailAddress() {
    }

    /** Why the address is refused, or null when it is valid. Takes the address as given (untrimmed). */
    public static String problem(String raw) {
        if (raw == null) {
            return "is required";
        }
        if (raw.indexOf('\r') >= 0 || raw.indexOf('\n') >= 0) {
            return "must not contain line breaks";
        }
        // Checked before trimming: trim() drops every character up to U+0020, so a NUL or tab at
        // either end would be quietly cut off instead of refused. Only spaces are trimmed.
        if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "must not contain control characters";
        }
        String email = raw.trim();
        if (email.isEmpty()) {
            return "is required";
        }
        if (email.contains("<") || email.contains(">") || email.contains(" ") || email.contains("\"")) {
            return "must be a bare address like name@example.com, without a display name";
        }
        if (email.length() > 254) {
            return "must be at most 254 characters";
        }
        int at = email.lastIndexOf('@');
        if (at <= 0 || at != email.indexOf('@') || at == email.length() - 1) {
            return "must be an address like name@example.com";
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (local.length() > 64) {
            return "must have a local part of at most 64 characters";
        }
        if (!LOCAL.matcher(local).matches()) {
            return "has an invalid local part";
        }
        if (domain.length() > 253 || !domain.contains(".")) {
            return "has an invalid domain";
        }
        String[] labels = domain.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return "has an invalid domain";
            }
        }
        if (!labels[labels.length - 1].matches("[A-Za-z]{2,63}")) {
            return "has an invalid top-level domain";
        }
        return null;
    }

    public static boolean isValid(String raw) {
        return problem(raw) == null;
    }

    /** The lower-cased address: one person per org. */
    public static String key(String email) {
        return asciiLower(email.trim());
    }

    /**
     * Lower-cases A-Z only. {@code toLowerCase(Locale.ROOT)} maps the Kelvin sign (U+212A) to
     * 'k' and U+0130 to "i̇", so a token's non-ASCII address could match another person's key.
     */
    public static String asciiLower(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return out.toString();
    }

    public static String domain(String email) {
        String key = key(email);
        return key.substring(key.lastIndexOf('@') + 1);
    }

    /**
     * The canonical mailbox: lower-cased, without a {@code +tag}, and for Gmail without dots and
     * on gmail.com. Different emailKeys with one canonical form are "possible duplicates".
     */
    public static String canonical(String email) {
        return canonical(email, java.util.Set.of());
    }

    /**
     * As {@link #canonical(String)}, and on {@code dotInsensitive} domains (an org's SSO domains,
     * whose directory treats {@code first.last} and {@code firstlast} as one person) without dots too.
     */
    public static String canonical(String email, java.util.Collection<String> dotInsensitive) {
        String key = key(email);
        int at = key.lastIndexOf('@');
        String local = key.substring(0, at);
        String domain = key.substring(at + 1);
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        if (GMAIL.contains(domain)) {
            local = local.replace(".", "");
            domain = "gmail.com";
        } else if (dotInsensitive.contains(domain)) {
            local = local.replace(".", "");
        }
        return local + "@" + domain;
    }
}
