package io.tenure.bench;

import io.tenure.local.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The benchmark: {@code bench/run [--launches N] [--warm N] [--sweep-items N] [--scan-minutes N] [--quick] [--only Id,Id]
 * [--no-sweep] [--no-write]}. Starts a local stack, seeds it through its API, measures every function
 * of template.yaml (paired cold launches against both floors, loaded classes, jar size, warm latency
 * beside the raw SDK calls), runs the sweep benchmark on a stack of its own, prints the tables and
 * writes docs/performance.md. Never run by {@code mvn verify}.
 */
public final class BenchMain {
    /** The command's options. */
    record Options(int launches, int warm, int sweepItems, int scanMinutes, Set<String> only, boolean sweep, boolean write) {
        static Options parse(String[] args) {
            int launches = 10;
            int warm = 2000;
            int sweepItems = 100_000;
            int scanMinutes = 10;
            Set<String> only = Set.of();
            boolean sweep = true;
            boolean write = true;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--launches" -> launches = Integer.parseInt(args[++i]);
                    case "--warm" -> warm = Integer.parseInt(args[++i]);
                    case "--sweep-items" -> sweepItems = Integer.parseInt(args[++i]);
                    case "--scan-minutes" -> scanMinutes = Integer.parseInt(args[++i]);
                    case "--quick" -> {
                        launches = 3;
                        warm = 200;
                        sweepItems = 10_000;
                    }
                    case "--only" -> only = Set.of(args[++i].split(","));
                    case "--no-sweep" -> sweep = false;
                    case "--no-write" -> write = false;
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; options: --launches N --warm N --sweep-items N --scan-minutes N --quick --only Id,Id --no-sweep --no-write");
                }
            }
            if (launches < 1 || warm < 1 || sweepItems < 100 || scanMinutes < 0) {
                throw new IllegalArgumentException("--launches and --warm must be at least 1, --sweep-items at least 100, --scan-minutes at least 0");
            }
            if (!only.isEmpty() && write) {
                // docs/performance.md must hold every function: the regression guard reads each one's row.
                System.out.println("[bench] --only: docs/performance.md is left as it is (it needs every function)");
                write = false;
            }
            return new Options(launches, warm, sweepItems, scanMinutes, only, sweep, write);
        }
    }

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path root = LocalStack.findProjectRoot();
        Path work = Files.createTempDirectory("tenure-bench");
        ChildJvm jvm = ChildJvm.locate(root, work);
        List<FunctionFigures> functions = new ArrayList<>();
        System.out.println("[bench] launches " + options.launches() + ", warm calls " + options.warm() + ", sweep items "
                + (options.sweep() ? options.sweepItems() : 0) + "; child JVM logs in " + work);
        try (LocalStack stack = LocalStack.start(BenchStack.options(root))) {
            Fixture fixture = new Fixture(new LocalApi(stack.baseUrl()), root, stack.ses().url(), stack.clock());
            for (Target target : Target.all(stack, root)) {
                if (!options.only().isEmpty() && !options.only().contains(target.logicalId())) {
                    continue;
                }
                FunctionFigures figures = ColdWarm.measure(stack, fixture, jvm, target, options.launches(), options.warm());
                System.out.println(Report.progressLine(figures));
                functions.add(figures);
            }
        }
        List<SweepFigures> sweeps = options.sweep() ? SweepBench.run(root, options.sweepItems(), options.scanMinutes()) : List.of();
        Machine machine = Machine.describe();
        System.out.println();
        System.out.println(Report.consoleTables(functions, sweeps, machine, options));
        if (options.write()) {
            Path doc = root.resolve("docs/performance.md");
            String previous = Files.exists(doc) ? Files.readString(doc) : null;
            Files.writeString(doc, Report.keepHandWritten(Report.markdown(functions, sweeps, machine, options), previous));
            System.out.println("[bench] wrote " + doc);
        }
        System.exit(0);
    }
}
