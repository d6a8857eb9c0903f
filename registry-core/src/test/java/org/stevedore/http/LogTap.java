package org.stevedore.http;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What slf4j-simple logs while the tap is open: it writes to whatever {@code System.err} is when a
 * line is logged, so the tap swaps in a tee and keeps a copy. Everything still reaches the real
 * stderr. {@link #close()} restores it.
 */
final class LogTap implements AutoCloseable {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream original = System.err;

    LogTap() {
        System.setErr(new PrintStream(new OutputStream() {
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
        }, true, StandardCharsets.UTF_8));
    }

    List<String> lines() {
        synchronized (captured) {
            return Arrays.asList(captured.toString(StandardCharsets.UTF_8).split("\n"));
        }
    }

    /** The lines holding {@code text}, waiting up to 30 s for one: access lines come after the answer. */
    List<String> await(String text) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            List<String> found = lines().stream().filter(line -> line.contains(text)).toList();
            if (!found.isEmpty() || System.nanoTime() > deadline) return found;
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
