package org.stevedore.storage.s3;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends multipart parts in the background for the hidden writers ({@link S3HiddenWriter}) of one
 * driver, so that a writer goes on
 * taking bytes from its client while its previous parts travel to the store: without it a writer
 * alternated between receiving a part and sending it, and a push ran at about half the speed of
 * either. At most {@code maxParts} parts are out in the background across the driver, so memory
 * stays bounded: each writer's own part buffer plus {@code maxParts} buffers on their way. A
 * writer that finds no free slot sends its part itself ({@link SentParts}).
 *
 * <p>Not used by {@link S3AppendWriter}: two writers continuing one open upload (two nodes, one
 * PATCH offset) rely on the order in which their same-numbered parts land, which background
 * sending would leave to chance; and a PATCH no larger than a part gains nothing from it.
 */
final class PartSender implements AutoCloseable {
    private final Semaphore slots;
    private final ExecutorService threads;

    PartSender(int maxParts) {
        this.slots = new Semaphore(maxParts);
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "s3-part-sender-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        // One thread per slot at most, and none kept while idle.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(maxParts, maxParts, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
    }

    /** Takes a slot if one is free; the caller then {@link #submit}s exactly once. */
    boolean tryReserve() {
        return slots.tryAcquire();
    }

    /** Runs {@code send} on a sender thread, in a slot taken by {@link #tryReserve}, freed when it ends. */
    Future<WriterState.Part> submit(java.util.concurrent.Callable<WriterState.Part> send) {
        try {
            return threads.submit(() -> {
                try {
                    return send.call();
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) { // rejected: the driver is closing
            slots.release();
            throw e;
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
