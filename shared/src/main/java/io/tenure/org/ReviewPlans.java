package io.tenure.org;

import io.tenure.json.Json;
import io.tenure.schedule.DueItems;
import io.tenure.schedule.DueKind;
import io.tenure.store.Write;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Each org's quarterly access review (SPEC §6), planned when the org is made and again by each review. */
public final class ReviewPlans {
    private final DueItems due;

    public ReviewPlans(DueItems due) {
        this.due = due;
    }

    /** What a review's due item carries: the quarter it reviews, e.g. {@code 2027-Q1}. */
    public record ReviewDue(String quarter) {
    }

    /**
     * An org's next quarterly review: due at the start of the calendar quarter after {@code now}
     * (UTC). Its key names the quarter, so each quarter's review happens once.
     */
    public Write next(String orgId, Instant now) {
        Instant start = nextQuarter(now);
        LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC);
        String quarter = day.getYear() + "-Q" + ((day.getMonthValue() - 1) / 3 + 1);
        return due.put(DueKind.QUARTERLY_REVIEW, orgId, orgId + "@" + quarter, start, Json.tree(new ReviewDue(quarter)));
    }

    /** The start (UTC) of the calendar quarter after the one holding {@code now}. */
    public static Instant nextQuarter(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        int firstMonthOfNext = ((today.getMonthValue() - 1) / 3 + 1) * 3 + 1;
        LocalDate start = firstMonthOfNext > 12 ? LocalDate.of(today.getYear() + 1, 1, 1) : LocalDate.of(today.getYear(), firstMonthOfNext, 1);
        return start.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
