package org.stevedore.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback, the launcher's logging backend (libraries use the SLF4J API only), from
 * distribution's {@code log} settings, in code: one console appender on standard error with the
 * text or JSON layout, the level, access lines on or off. Undertow and XNIO keep to warnings,
 * as their INFO lines only announce versions.
 */
final class LogSetup {
    static final String ACCESS_LOGGER = "org.stevedore.access";
    private static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %level %logger{0} - %msg";

    private LogSetup() {
    }

    /** Reconfigures logging for {@code serve}; a no-op if another SLF4J backend is bound. */
    static void apply(RegistryConfig.LogLevel level, LogConfig log) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) configure(context, level, log);
    }

    static void configure(LoggerContext context, RegistryConfig.LogLevel level, LogConfig log) {
        context.reset();
        Layout<ILoggingEvent> layout = log.formatter() == LogConfig.Formatter.JSON ? new JsonLayout(log.fields())
                : textLayout(log.fields());
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level.name()));
        root.addAppender(console);
        for (String quiet : new String[] {"io.undertow", "org.xnio", "org.jboss"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
        if (log.accessLogDisabled()) context.getLogger(ACCESS_LOGGER).setLevel(Level.OFF);
    }

    /** The time, level, short logger name and message, then {@code log.fields} as {@code key=value}. */
    private static PatternLayout textLayout(Map<String, String> fields) {
        StringBuilder pattern = new StringBuilder(TEXT_PATTERN);
        fields.forEach((key, value) -> pattern.append(' ').append(escape(key)).append('=').append(escape(value)));
        PatternLayout layout = new PatternLayout();
        layout.setPattern(pattern.append("%n").toString());
        return layout;
    }

    /** Pattern syntax characters in a literal are escaped with a backslash. */
    private static String escape(String literal) {
        return literal.replaceAll("([%\\\\(){}])", "\\\\$1");
    }

    /** A writer whose every line becomes one INFO event of {@code logger}. */
    static PrintWriter lineLogger(Logger logger) {
        return new PrintWriter(new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public synchronized void write(char[] chars, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    char c = chars[i];
                    if (c == '\n') {
                        logger.info(line.toString());
                        line.setLength(0);
                    } else if (c != '\r') {
                        line.append(c);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public synchronized void close() {
                if (line.length() > 0) logger.info(line.toString());
                line.setLength(0);
            }
        }, true);
    }

    static String levelName(Level level) {
        return level.toString().toLowerCase(Locale.ROOT);
    }
}
