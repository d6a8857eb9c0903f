package org.stevedore.hostile;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the server logs while hostile input arrives: slf4j-simple's lines (it writes to whatever
 * {@code System.err} is at the time) and java.util.logging records, where Undertow's JBoss
 * Logging goes when no other backend is present. Everything still reaches the real stderr.
 */
final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream original = System.err;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        Logger.getLogger("").addHandler(handler);
    }

    /** Whether the capture works at all: some slf4j-simple line and some JUL record contain {@code text}. */
    synchronized boolean sawBoth(String slf4jText, String julLogger) {
        boolean slf4j;
        synchronized (captured) {
            slf4j = captured.toString(StandardCharsets.UTF_8).contains(slf4jText);
        }
        return slf4j && records.stream().anyMatch(r -> r.getLoggerName() != null && r.getLoggerName().startsWith(julLogger));
    }

    /** Stack traces and error lines logged so far: slf4j-simple frames and JUL records with a throwable. */
    synchronized List<String> stackTraces() {
        List<String> found = new ArrayList<>();
        String text;
        synchronized (captured) {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("\tat ") || line.contains(" ERROR ") || line.contains("Exception:")) found.add(line);
        }
        for (LogRecord record : records) {
            if (record.getThrown() != null || record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                found.add(record.getLoggerName() + ": " + record.getMessage() + " " + record.getThrown());
            }
        }
        return found;
    }

    /** Everything slf4j-simple wrote so far. */
    String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setErr(original);
        Logger.getLogger("").removeHandler(handler);
    }
}
