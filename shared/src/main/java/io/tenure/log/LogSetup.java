package io.tenure.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's configuration, in code: found through META-INF/services when logback starts in the
 * function's class loader, so no logback.xml is parsed (fewer classes at cold start) and none on the
 * class path (another function's, a test's) is read. One appender: stdout, as {@link JsonLines}.
 * Only Tenure's own logger writes (INFO and up); every other logger, the AWS SDK's included, is off,
 * as it was with slf4j-nop.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        JsonLines encoder = new JsonLines();
        encoder.setContext(context);
        encoder.start();
        // ConsoleAppender writes to System.out as it is at each line, so a replaced System.out
        // (the local stack's tests capture it) gets the lines too.
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setName("stdout");
        stdout.setContext(context);
        stdout.setEncoder(encoder);
        stdout.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.OFF);
        root.addAppender(stdout);
        context.getLogger(Log.LOGGER).setLevel(Level.INFO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
