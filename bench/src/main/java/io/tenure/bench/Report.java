package io.tenure.bench;

import static io.tenure.bench.FunctionFigures.ms;
import static io.tenure.bench.FunctionFigures.two;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's tables, for the terminal and for docs/performance.md. */
final class Report {
    private Report() {
    }

    static String progressLine(FunctionFigures f) {
        return String.format(Locale.ROOT, "[bench] %-24s cold %5s ms (bare %s, floor %s)  classes %d  warm p50 %s ms p99 %s ms",
                f.function(), ms(f.coldMs()), ms(f.bareMs()), ms(f.floorMs()), f.classes(), f.warmP50(), f.warmP99());
    }

    static String consoleTables(List<FunctionFigures> functions, List<SweepFigures> sweeps, Machine machine,
                                BenchMain.Options options) {
        return "Machine: " + machine.cpus() + " CPUs (" + machine.cpuModel() + "), " + machine.os() + ", " + machine.java() + "\n\n"
                + coldTable(functions) + "\n" + warmTable(functions) + "\n" + (sweeps.isEmpty() ? "" : sweepTable(sweeps));
    }

    static String coldTable(List<FunctionFigures> functions) {
        StringBuilder out = new StringBuilder(
                "| function | jar (MB) | cold ms (median) | bare ms | floor ms | ÷ bare | ÷ floor | first response in-process ms | classes (bare / floor / function) |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FunctionFigures f : functions) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d / %d / %d |%n",
                    f.function(), two(f.jarMb()), ms(f.coldMs()), ms(f.bareMs()), ms(f.floorMs()), two(f.ratioToBare()),
                    two(f.ratioToFloor()), ms(f.firstResponseMs()), f.bareClasses(), f.floorClasses(), f.classes()));
        }
        return out.toString();
    }

    static String warmTable(List<FunctionFigures> functions) {
        StringBuilder out = new StringBuilder("| function | calls | handler p50 / p99 ms | raw GetItem p50 / p99 ms | raw PutItem p50 / p99 ms | raw SendEmail p50 / p99 ms |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (FunctionFigures f : functions) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %s / %s | %s | %s | %s |%n", f.function(), f.warmCalls(),
                    f.warmP50(), f.warmP99(), f.raw("getItem"), f.raw("putItem"), f.raw("sendEmail")));
        }
        return out.toString();
    }

    static String sweepTable(List<SweepFigures> sweeps) {
        StringBuilder out = new StringBuilder("| run | entities seeded | due items | items read | items read per due item | reads by call | wall ms |\n"
                + "|---|---:|---:|---:|---:|---|---:|\n");
        for (SweepFigures s : sweeps) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %s |%n", s.run(), s.tableItems(), s.due(),
                    s.itemsRead(), two(s.readPerDue()), s.readsByCall(), ms(s.wallMs())));
        }
        return out.toString();
    }

    static String recordedTable(List<FunctionFigures> functions) {
        List<List<String>> rows = new ArrayList<>();
        for (FunctionFigures f : functions) {
            rows.add(List.of(f.function(), Long.toString(f.jarBytes()), Integer.toString(f.classes()), ms(f.coldMs()),
                    ms(f.bareMs()), ms(f.floorMs()), f.warmP50(), f.warmP99()));
        }
        return PerformanceDoc.table(rows);
    }

    static String markdown(List<FunctionFigures> functions, List<SweepFigures> sweeps, Machine machine,
                           BenchMain.Options options) {
        String when = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        return """
                # Performance

                What each function costs to start and to run, measured on the local stack by the benchmark in
                `bench/`. **The tables below are generated**: `bench/run` measures and rewrites this file (the
                prose too, from `bench/src/main/java/io/tenure/bench/Report.java`; edit it there), except the
                sections Findings, SnapStart, Request budgets and Capacity model, which are written by hand and
                kept as they are by each run.

                Run: %s, with `%s`. Machine: %d CPUs (`nproc`; %s), %s, %s. The machine is shared
                with other work, so absolute milliseconds vary between runs; the ratios to the two floors, which
                are measured in the same rounds, vary less.

                ## How it is measured

                - **Cold start** (`cold ms`): the wall time, fork to exit, of a fresh JVM started as Lambda
                  starts the function (`java %s -cp harness:aws-lambda-java-serialization:function.jar`, the
                  flags of the template's `JAVA_TOOL_OPTIONS`), with the function's environment from
                  template.yaml pointed at the local stack's DynamoDB Local, SES emulator and fake EventBridge.
                  The harness (`io.tenure.bench.harness.Harness`) does what the Lambda Java runtime does: loads
                  the handler, constructs it, turns the function's sample event from `events/` into the
                  handler's input type with `aws-lambda-java-serialization`, calls it, serializes the answer,
                  exits. The event carries seeded ids (an org, project, invitation, API key and accept token
                  made through the stack's API), and a mutating route gets a fresh input per launch (a new
                  address to invite; an invitation of its own to resend, revoke or bounce), so every launch
                  does the real work; a launch answering non-2xx fails the benchmark. The median of %d
                  launches per variant.
                - **Floors**, launched in the same rounds (for each round: bare, floor, function):
                  **bare** is the same harness with a handler that returns at once (the JVM, the serializer,
                  one call); **floor** is the same harness on the function's own jar with a handler that
                  builds only the SDK clients the function uses, as `io.tenure.runtime.SdkClients` builds
                  them (DynamoDB always, SESv2 when the jar holds the SESv2 SDK, EventBridge for the events
                  publisher), and makes one DynamoDB GetItem. `÷ bare` and `÷ floor` are the function's median
                  over the floor's median: what is above the floor is the function's own code and data.
                - **First response in-process**: the harness's own time from `main` to the first serialized
                  answer (the JVM's start-up before `main` is not in it).
                - **Classes** loaded up to the first response: one more launch per variant, not timed, with
                  `-Xlog:class+load:file=…`; the harness loads a marker class right after the first response
                  and the lines before the marker are counted.
                - **Jar size**: the bytes of `functions/<name>/target/function.jar`.
                - **Warm latency**: one JVM calls the handler %d times after one warm-up call (a mutating
                  route gets a fresh input per call, as above; a read route the same event), p50 and p99 of
                  deserialize + handler + serialize. Beside it, in the same JVM and with clients built by
                  `SdkClients` (the function's configuration), the same number of raw GetItem (an org item),
                  PutItem (a bench item) and, for functions whose jar has SESv2, SendEmail to the SES
                  emulator. DynamoDB Local and the SES emulator run on the same machine as the function (in
                  the benchmark's JVM and a node process), so these are local calls, not AWS latencies: the
                  point is the handler's time over the calls it makes.
                - **Sweeps at scale**: see below.

                ## Cold start

                %s
                ## Warm latency

                %s
                ## Sweeps at scale

                %s
                ## Recorded figures (machine-readable)

                The regression guard (`bench/src/test/java/io/tenure/bench/PerformanceGuardTest.java`, run by
                `mvn -B verify`) launches each function once against a local stack and fails when its loaded
                class count or its jar's size is more than 10%% above the figures here. After a change that
                grows them on purpose, run `bench/run` and commit this file.

                %s
                ## Findings

                *Written by hand after a run; bench/run keeps this section as it is.*

                ## SnapStart

                *To be filled (other work of issue 13).*

                ## Request budgets

                *To be filled (other work of issue 13).*

                ## Capacity model

                *To be filled (other work of issue 13).*
                """.formatted(when, command(options), machine.cpus(), machine.cpuModel(), machine.os(), machine.java(),
                "-XX:+TieredCompilation -XX:TieredStopAtLevel=1", options.launches(), options.warm(),
                coldTable(functions), warmTable(functions), sweepSection(sweeps, options), recordedTable(functions));
    }

    /** Sections written by hand: a run keeps their text from the file it replaces. */
    static final java.util.List<String> KEPT = java.util.List.of("## Findings", "## SnapStart", "## Request budgets",
            "## Capacity model");

    /** {@code generated} with each kept section's body taken from {@code previous} (the file as it was), when it has it. */
    static String keepHandWritten(String generated, String previous) {
        String out = generated;
        for (String heading : KEPT) {
            String old = section(previous, heading);
            String fresh = section(out, heading);
            if (old != null && fresh != null) {
                out = out.replace(heading + fresh, heading + old);
            }
        }
        return out;
    }

    /** The text after a "## " heading line up to the next "## " heading (or the end), or null. */
    private static String section(String doc, String heading) {
        if (doc == null) {
            return null;
        }
        int at = doc.indexOf("\n" + heading + "\n");
        if (at < 0) {
            return null;
        }
        int start = at + 1 + heading.length();
        int next = doc.indexOf("\n## ", start);
        return doc.substring(start, next < 0 ? doc.length() : next + 1);
    }

    private static String sweepSection(List<SweepFigures> sweeps, BenchMain.Options options) {
        if (sweeps.isEmpty()) {
            return "*Not run in this measurement (`--no-sweep`).*\n";
        }
        return SweepBench.description(options.scanMinutes()) + "\n" + sweepTable(sweeps);
    }

    private static String command(BenchMain.Options options) {
        return "bench/run --launches " + options.launches() + " --warm " + options.warm()
                + (options.sweep() ? " --sweep-items " + options.sweepItems() + " --scan-minutes " + options.scanMinutes() : " --no-sweep")
                + (options.only().isEmpty() ? "" : " --only " + String.join(",", options.only()));
    }
}
