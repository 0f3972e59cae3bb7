package io.tenure.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * What the benchmark measured for one function: medians of the paired cold launches (fork to exit)
 * of the function and its two floors, the harness's in-process time to first response, the classes
 * loaded up to the first response, the jar's size, and the warm run's figures (the handler's and
 * the raw SDK calls' p50/p99, as the harness printed them).
 */
record FunctionFigures(String function, long jarBytes, int launches, double coldMs, double bareMs, double floorMs,
                       double firstResponseMs, int classes, int bareClasses, int floorClasses, int warmCalls,
                       JsonNode warm) {

    double ratioToBare() {
        return coldMs / bareMs;
    }

    double ratioToFloor() {
        return coldMs / floorMs;
    }

    double jarMb() {
        return jarBytes / 1_048_576.0;
    }

    String warmP50() {
        return warm.path("p50Ms").asText("-");
    }

    String warmP99() {
        return warm.path("p99Ms").asText("-");
    }

    /** "p50 / p99" of one raw call, or "-" when the function's jar cannot make it (SendEmail without SESv2). */
    String raw(String call) {
        JsonNode figures = warm.path("raw").path(call);
        return figures.isMissingNode() ? "-" : figures.path("p50Ms").asText() + " / " + figures.path("p99Ms").asText();
    }

    static String ms(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    static String two(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
