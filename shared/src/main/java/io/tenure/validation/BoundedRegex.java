package io.tenure.validation;

import java.util.regex.Pattern;

/**
 * Runs an admin's regular expression (an org's {@code emailPattern}) on one input with a bounded
 * amount of work. Java's engine backtracks, so a pattern like {@code (.*a){12}$} takes exponential
 * time on some addresses and would hold the function until Lambda stops it (a 5xx, found by the
 * fuzz suite). The engine reads the input one character at a time; counting those reads bounds
 * the work, and past the budget the answer is {@link Result#TOO_COMPLEX} instead of a hang.
 */
public final class BoundedRegex {
    /** Character reads allowed for one search: milliseconds of work, far more than a sane pattern needs on an address. */
    public static final int READ_BUDGET = 1_000_000;

    /** What one search found. */
    public enum Result { MATCHES, DIFFERS, TOO_COMPLEX }

    private BoundedRegex() {
    }

    /** Whether {@code pattern} is found in {@code input} ({@link java.util.regex.Matcher#find}), within {@link #READ_BUDGET}. */
    public static Result find(Pattern pattern, String input) {
        return find(pattern, input, READ_BUDGET);
    }

    static Result find(Pattern pattern, String input, int budget) {
        try {
            return pattern.matcher(new CountedText(input, 0, input.length(), new int[] {budget})).find() ? Result.MATCHES : Result.DIFFERS;
        } catch (BudgetSpent | StackOverflowError e) {
            // A deep recursion of the engine is the same case: the pattern is too complex for this input.
            return Result.TOO_COMPLEX;
        }
    }

    /** Thrown from inside the engine when the budget is spent; no stack trace, it is not an error. */
    private static final class BudgetSpent extends RuntimeException {
        BudgetSpent() {
            super(null, null, false, false);
        }
    }

    /** The input, counting every character the engine reads against a budget shared with its sub-sequences. */
    private record CountedText(String text, int start, int end, int[] left) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new BudgetSpent();
            }
            return text.charAt(start + index);
        }

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new CountedText(text, start + from, start + to, left);
        }

        @Override
        public String toString() {
            return text.substring(start, end);
        }
    }
}
