package io.tenure.local;

import java.nio.file.Path;

/**
 * Command line for the local stack: {@code LocalStackMain [--port 3000] [--ses-port 8005] [--dynamodb-port 0]
 * [--data-dir DIR] [--no-schedules] [--root DIR] [--template FILE]}. Ctrl-C or SIGTERM stops
 * everything it started.
 */
public final class LocalStackMain {
    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        LocalStack.Options options = LocalStack.Options.defaults();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--port" -> options = options.port(Integer.parseInt(value(args, ++i, arg)));
                case "--ses-port" -> options = options.sesPort(Integer.parseInt(value(args, ++i, arg)));
                case "--dynamodb-port" -> options = options.dynamoDbPort(Integer.parseInt(value(args, ++i, arg)));
                case "--data-dir" -> options = options.dataDir(Path.of(value(args, ++i, arg)));
                case "--no-schedules" -> options = options.schedules(false);
                case "--root" -> options = options.root(Path.of(value(args, ++i, arg)));
                case "--template" -> options = options.template(Path.of(value(args, ++i, arg)));
                case "-h", "--help" -> {
                    System.out.println("Usage: local/run [--port 3000] [--ses-port 8005] [--dynamodb-port 0] [--data-dir DIR]"
                            + " [--no-schedules] [--root DIR] [--template FILE]");
                    return;
                }
                default -> {
                    System.err.println("Unknown option " + arg + " (try --help)");
                    System.exit(2);
                }
            }
        }
        LocalStack stack;
        try {
            stack = LocalStack.start(options);
        } catch (Exception e) {
            System.err.println("The local stack could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println(stack.banner());
        stack.awaitClose();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[index];
    }
}
