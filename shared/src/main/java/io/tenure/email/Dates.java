package io.tenure.email;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Dates as people read them in emails and pages: {@code 24 November 2026, 09:00 UTC}. */
public final class Dates {
    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Dates() {
    }

    public static String human(Instant instant) {
        return HUMAN.format(instant);
    }

    /** The UTC day alone, {@code 24 Nov 2026}: for table cells, where the time would only crowd the row. */
    public static String day(Instant instant) {
        return DAY.format(instant);
    }

    /** An ISO-8601 instant as text; a missing one reads "an unknown date". */
    public static String human(String instant) {
        return instant == null || instant.isBlank() ? "an unknown date" : human(Instant.parse(instant));
    }
}
