package io.tenure.bench;

import java.nio.file.Path;
import java.util.List;

/** The sweep benchmark (stub). */
final class SweepBench {
    static final String DESCRIPTION = "";

    private SweepBench() {
    }

    static List<SweepFigures> run(Path root, int items) {
        return List.of();
    }
}
