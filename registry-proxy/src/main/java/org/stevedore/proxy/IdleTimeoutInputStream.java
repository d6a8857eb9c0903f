package org.stevedore.proxy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An upstream response body whose reads give up after {@code timeout} without a byte: the JDK's
 * {@code HttpClient} bounds only the wait for the response headers, so a stalled upstream would
 * otherwise hold a client's pull (and its upload session) forever. A watchdog closes the body
 * when one read blocks too long, which wakes the reader; the read then fails with an
 * {@code IOException} that says so, and the pull fails as for a broken stream (nothing stored).
 */
final class IdleTimeoutInputStream extends FilterInputStream {
    /** One daemon thread for every body: its tasks only close streams. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "stevedore-upstream-read-timeout");
        thread.setDaemon(true);
        return thread;
    });

    private final Duration timeout;
    private volatile boolean timedOut;

    IdleTimeoutInputStream(InputStream body, Duration timeout) {
        super(body);
        this.timeout = timeout;
    }

    @Override
    public int read() throws IOException {
        ScheduledFuture<?> watch = watch();
        try {
            return super.read();
        } catch (IOException e) {
            throw timedOut ? stalled() : e;
        } finally {
            watch.cancel(false);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        ScheduledFuture<?> watch = watch();
        try {
            int n = super.read(buffer, offset, length);
            if (timedOut) throw stalled(); // closed while returning: the bytes may be cut short
            return n;
        } catch (IOException e) {
            throw timedOut ? stalled() : e;
        } finally {
            watch.cancel(false);
        }
    }

    private ScheduledFuture<?> watch() throws IOException {
        if (timedOut) throw stalled();
        return WATCHDOG.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void expire() {
        timedOut = true;
        try {
            in.close();
        } catch (IOException ignored) {
            // Closing only wakes the blocked reader; it reports the timeout itself.
        }
    }

    private IOException stalled() {
        return new IOException("upstream sent nothing for " + timeout.toMillis() + " ms");
    }
}
