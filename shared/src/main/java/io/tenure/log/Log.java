package io.tenure.log;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Tenure's log: one JSON object per line on stdout, through SLF4J and logback ({@link LogSetup},
 * {@link JsonLines}). Every line has {@code timestamp}, {@code level}, {@code message},
 * {@code function} (the Lambda function's name) and, inside an invocation, {@code requestId};
 * then the fields the call names, as name/value pairs:
 *
 * <pre>{@code Log.warn("due step failed, retried next run", "kind", kind, "targetId", id, "error", type);}</pre>
 *
 * <p>Values are written as JSON (numbers stay numbers, maps become objects). Never pass a token, a
 * key secret, a request body or an exception message (SPEC §11).
 */
public final class Log {
    /** The logger Tenure writes through; only it is on (INFO), so the AWS SDK's SLF4J logging stays off. */
    static final String LOGGER = "io.tenure";
    static final String REQUEST_ID = "requestId";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static volatile String function = System.getenv("AWS_LAMBDA_FUNCTION_NAME");

    private Log() {
    }

    public static void info(String message, Object... fields) {
        write(LOG.atInfo(), message, fields);
    }

    public static void warn(String message, Object... fields) {
        write(LOG.atWarn(), message, fields);
    }

    public static void error(String message, Object... fields) {
        write(LOG.atError(), message, fields);
    }

    /**
     * Writes one CloudWatch Embedded Metric Format document to stdout as it is: EMF needs its own
     * top-level shape ({@code _aws}), so it is not a log line.
     */
    public static void metric(String emfLine) {
        System.out.println(emfLine);
    }

    /** Runs one invocation with {@code requestId} on each of its lines (none when it is null). */
    public static <T> T invocation(String requestId, Supplier<T> work) {
        String outer = MDC.get(REQUEST_ID);
        if (requestId != null) {
            MDC.put(REQUEST_ID, requestId);
        }
        try {
            return work.get();
        } finally {
            if (outer == null) {
                MDC.remove(REQUEST_ID);
            } else {
                MDC.put(REQUEST_ID, outer);
            }
        }
    }

    /** Runs one invocation with Lambda's request id on each of its lines (none without a context: tests, tools). */
    public static <T> T invocation(Context context, Supplier<T> work) {
        return invocation(context == null ? null : context.getAwsRequestId(), work);
    }

    /**
     * Sets the {@code function} field. Lambda's is read from {@code AWS_LAMBDA_FUNCTION_NAME} at start;
     * the local stack runs every function in one process, so FunctionRuntime sets each copy's own.
     */
    public static void function(String name) {
        function = name;
    }

    static String function() {
        return function;
    }

    private static void write(LoggingEventBuilder event, String message, Object[] fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("log fields come in name/value pairs: " + fields.length + " given");
        }
        LoggingEventBuilder line = event;
        for (int i = 0; i < fields.length; i += 2) {
            line = line.addKeyValue((String) fields[i], fields[i + 1]);
        }
        line.log(message);
    }
}
