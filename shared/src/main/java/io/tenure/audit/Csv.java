package io.tenure.audit;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The CSV exports' rows (the audit trail, a review's evidence): RFC 4180, every cell quoted, and a
 * cell a spreadsheet would run as a formula ({@code = + - @}, tab, CR first) prefixed with {@code '}.
 */
public final class Csv {
    private Csv() {
    }

    /** One row, CRLF-terminated. */
    public static String row(List<String> cells) {
        return cells.stream().map(Csv::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
