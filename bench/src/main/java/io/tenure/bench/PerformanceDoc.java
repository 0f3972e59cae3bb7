package io.tenure.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/performance.md's machine-readable table: a markdown table under the heading
 * {@value #HEADING}, a header row, then one row per function. The benchmark writes it; the
 * regression guard reads the recorded loaded-class counts and jar sizes from it.
 */
final class PerformanceDoc {
    static final String HEADING = "## Recorded figures (machine-readable)";
    static final List<String> COLUMNS = List.of("function", "jar_bytes", "classes_loaded", "cold_ms", "bare_ms", "floor_ms",
            "warm_p50_ms", "warm_p99_ms");

    /** One function's recorded figures, as the guard reads them. */
    record Recorded(String function, long jarBytes, int classesLoaded) {
    }

    private PerformanceDoc() {
    }

    static String table(List<List<String>> rows) {
        StringBuilder out = new StringBuilder("| " + String.join(" | ", COLUMNS) + " |\n|");
        out.append("---|".repeat(COLUMNS.size())).append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }

    /** The recorded rows by function; fails saying how to write the file when it or the table is missing. */
    static Map<String, Recorded> read(Path doc) throws IOException {
        if (!Files.isRegularFile(doc)) {
            throw new IllegalStateException(doc + " is missing: run bench/run to measure and write it");
        }
        List<String> lines = Files.readAllLines(doc);
        int at = lines.indexOf(HEADING);
        if (at < 0) {
            throw new IllegalStateException(doc + " has no heading '" + HEADING + "': run bench/run to write it");
        }
        int header = at + 1;
        while (header < lines.size() && !lines.get(header).startsWith("|")) {
            header++;
        }
        if (header >= lines.size()) {
            throw new IllegalStateException(doc + " has no table under '" + HEADING + "': run bench/run to write it");
        }
        List<String> names = cells(lines.get(header));
        int function = names.indexOf("function");
        int jar = names.indexOf("jar_bytes");
        int classes = names.indexOf("classes_loaded");
        if (function < 0 || jar < 0 || classes < 0) {
            throw new IllegalStateException(doc + ": the table under '" + HEADING + "' needs the columns function, jar_bytes"
                    + " and classes_loaded; it has " + names);
        }
        Map<String, Recorded> out = new LinkedHashMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            List<String> row = cells(lines.get(i));
            out.put(row.get(function), new Recorded(row.get(function), Long.parseLong(row.get(jar)),
                    Integer.parseInt(row.get(classes))));
        }
        return out;
    }

    private static List<String> cells(String line) {
        String inner = line.trim();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return new ArrayList<>(Arrays.stream(inner.split("\\|", -1)).map(String::trim).toList());
    }
}
