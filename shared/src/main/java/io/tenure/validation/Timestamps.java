package io.tenure.validation;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Times a caller sends, read as RFC 3339 date-times (what openapi.yaml's {@code format: date-time}
 * means). {@link Instant#parse} alone also takes years past 9999 ({@code +100000-01-01T00:00:00Z}),
 * which no client of the contract can send or read back.
 */
public final class Timestamps {
    private static final Pattern RFC_3339_START = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}[Tt]");

    private Timestamps() {
    }

    /** The instant {@code text} names; throws {@link DateTimeParseException} when it is not an RFC 3339 date-time. */
    public static Instant parse(String text) {
        if (text == null || !RFC_3339_START.matcher(text).find()) {
            throw new DateTimeParseException("not an RFC 3339 date-time", text == null ? "" : text, 0);
        }
        return Instant.parse(text);
    }
}
