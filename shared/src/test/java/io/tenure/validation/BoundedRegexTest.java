package io.tenure.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** An org's address pattern is run with bounded work: a backtracking pattern gives up instead of hanging. */
class BoundedRegexTest {
    private static final String MANY_AS = "fz-" + "a".repeat(40) + "@partner.example";

    @Test
    void aPatternThatBacktracksExponentiallyIsTooComplexInsteadOfHanging() {
        assertThat(BoundedRegex.find(Pattern.compile("(.*a){12}$"), MANY_AS)).isEqualTo(BoundedRegex.Result.TOO_COMPLEX);
    }

    @Test
    void ordinaryPatternsMatchOrDifferAsTheEngineSays() {
        assertThat(BoundedRegex.find(Pattern.compile("^analytics-[a-z0-9-]+@"), "analytics-web@acme.example"))
                .isEqualTo(BoundedRegex.Result.MATCHES);
        assertThat(BoundedRegex.find(Pattern.compile("^analytics-[a-z0-9-]+@"), MANY_AS)).isEqualTo(BoundedRegex.Result.DIFFERS);
        assertThat(BoundedRegex.find(Pattern.compile("@partner\\.example$"), MANY_AS)).isEqualTo(BoundedRegex.Result.MATCHES);
        // The same catastrophic pattern is fine where it has little to try.
        assertThat(BoundedRegex.find(Pattern.compile("(.*a){12}$"), "bo@acme.example")).isEqualTo(BoundedRegex.Result.DIFFERS);
    }
}
