package io.tenure.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test copies of template.yaml, changed as text, whose CodeUri paths still find the built jars. */
final class TemplateCopies {
    private static final Pattern STATEMENT = Pattern.compile("^(\\s*)- Sid: (\\S+)\\s*$");

    private TemplateCopies() {
    }

    /** The real template's text. */
    static String text() {
        try {
            return Files.readString(ProjectFiles.template());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} as {@code folder/template.yaml}, with CodeUri made absolute; returns its path. */
    static Path write(Path folder, String text) {
        String absolute = text.replace("CodeUri: functions/", "CodeUri: " + ProjectFiles.root().resolve("functions") + "/");
        try {
            return Files.writeString(folder.resolve("template.yaml"), absolute);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A local stack of its own (free ports, no background schedules) started from a changed copy of template.yaml. */
    static LocalStack start(Path folder, String text) throws Exception {
        return LocalStack.start(LocalStack.Options.defaults().port(0).sesPort(0).schedules(false)
                .root(ProjectFiles.root()).template(write(folder, text)));
    }

    /**
     * The template without the policy statement of {@code functionId} that names {@code action}.
     *
     * @throws IllegalStateException when there is no such statement (the test that asked is stale)
     */
    static String withoutStatement(String text, String functionId, String action) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int start = lines.indexOf("  " + functionId + ":");
        if (start < 0) {
            throw new IllegalStateException("template.yaml has no resource " + functionId);
        }
        int end = start + 1;
        while (end < lines.size() && (lines.get(end).isBlank() || lines.get(end).startsWith("   "))) {
            end++;
        }
        for (int i = start; i < end; i++) {
            Matcher statement = STATEMENT.matcher(lines.get(i));
            if (!statement.matches()) {
                continue;
            }
            int indent = statement.group(1).length();
            int last = i + 1;
            while (last < end && (lines.get(last).isBlank() || leading(lines.get(last)) > indent)) {
                last++;
            }
            boolean names = lines.subList(i, last).stream().anyMatch(l -> l.trim().equals("- " + action));
            if (names) {
                lines.subList(i, last).clear();
                return String.join("\n", lines);
            }
        }
        throw new IllegalStateException(functionId + " has no policy statement naming " + action);
    }

    private static int leading(String line) {
        int count = 0;
        while (count < line.length() && line.charAt(count) == ' ') {
            count++;
        }
        return count;
    }
}
