package org.stevedore.service;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs independent storage checks of one request side by side, at most {@link #IN_FLIGHT} at a
 * time, so that a request needing N round trips to a remote store waits about N / 8 of them, not
 * N. The caller works too; helper threads come from a shared pool of daemon threads that expire
 * when idle, and when the pool is saturated the caller does the work itself.
 */
final class Parallel {
    static final int IN_FLIGHT = 8;

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "stevedore-parallel-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, (r, executor) -> {
                // Saturated: this helper is not needed, the caller and the other helpers drain the queue.
            });

    private Parallel() {
    }

    /**
     * Runs every task, returns when all are done, and throws the first failure (an
     * {@link IOException} or a runtime exception such as a registry error), if any.
     */
    static void run(List<BlobLocks.Work<?>> tasks) throws IOException {
        run(tasks, IN_FLIGHT);
    }

    /** {@link #run(List)} with at most {@code inFlight} tasks at a time. */
    static void run(List<BlobLocks.Work<?>> tasks, int inFlight) throws IOException {
        if (tasks.isEmpty()) return;
        if (tasks.size() == 1) {
            tasks.get(0).run();
            return;
        }
        ConcurrentLinkedQueue<BlobLocks.Work<?>> queue = new ConcurrentLinkedQueue<>(tasks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int helpers = Math.min(tasks.size(), inFlight) - 1;
        CountDownLatch done = new CountDownLatch(tasks.size());
        Runnable worker = () -> {
            for (BlobLocks.Work<?> task; (task = queue.poll()) != null; done.countDown()) {
                try {
                    if (failure.get() == null) task.run();
                } catch (IOException | RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        for (int i = 0; i < helpers; i++) POOL.execute(worker);
        worker.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for storage checks");
        }
        Throwable first = failure.get();
        if (first instanceof IOException io) throw io;
        if (first instanceof RuntimeException runtime) throw runtime;
        if (first instanceof Error error) throw error;
    }
}
