package org.stevedore.service;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.stevedore.internal.io.Buffers;
import org.stevedore.storage.AppendWriter;

/**
 * Copies a request body into an upload's data and its running hash: the one pass every uploaded
 * byte takes.
 *
 * <p>Why two threads: hashing is about half of an upload stream's CPU (0.7 of 1.3 CPU-s per GB),
 * the socket reads and file writes the rest, so a body longer than one slice is hashed on a
 * second thread while the request thread goes on reading and writing. The slices are 1 MiB, so a
 * hand-over (at worst one park and one unpark) comes once per MiB: at 64 KiB slices the
 * hand-overs cost more than the overlap gained (docs/performance.md, "Uploads"). Both threads
 * only read a filled slice, and the request thread refills it only after the hasher has given it
 * back.
 *
 * <p>Only where it pays: at most {@link #PIPELINES} bodies are hashed this way at a time, each
 * with a ring of {@link #SLICES} direct slices kept for the next one, and only while other
 * processes leave a core idle ({@link SpareCore}); any other body, and every body that fits in
 * one slice, is hashed on the request thread in the same loop as before.
 */
final class HashingCopy {
    static final int SLICE_BYTES = 1024 * 1024;
    static final int SLICES = 4;
    /**
     * {@code auto} (the default): overlap while the machine has a {@link SpareCore}; {@code always};
     * {@code never}: the request thread hashes every body itself.
     */
    static final String OVERLAP_PROPERTY = "stevedore.upload.overlap";
    static final int PIPELINES = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));

    private static final Semaphore PERMITS = new Semaphore(PIPELINES);
    private static final ConcurrentLinkedQueue<ByteBuffer[]> RINGS = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor HASHERS = new ThreadPoolExecutor(0, PIPELINES, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "stevedore-upload-hash-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    /** Marks the end of a body in the hasher's queue. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private HashingCopy() {
    }

    /**
     * Reads {@code body} to its end, updating {@code digest} and writing to {@code writer};
     * returns the number of bytes. On any failure the digest's state is undefined, and no thread
     * still touches the digest or a buffer when this returns or throws.
     */
    static long copy(ReadableByteChannel body, MessageDigest digest, AppendWriter writer) throws IOException {
        return copy(body, digest, writer, HashingCopy::mayOverlap);
    }

    /** As above; {@code overlap} is asked once the body has proved longer than a slice. */
    static long copy(ReadableByteChannel body, MessageDigest digest, AppendWriter writer, BooleanSupplier overlap)
            throws IOException {
        if (!PERMITS.tryAcquire()) return inline(body, digest, writer, Buffers.copyBuffer());
        ByteBuffer[] ring = RINGS.poll();
        if (ring == null) ring = newRing();
        try {
            return overlapped(body, digest, writer, ring, overlap);
        } finally {
            RINGS.add(ring);
            PERMITS.release();
        }
    }

    /** How many bodies could start overlapping now: {@link #PIPELINES} whenever none is being copied. */
    static int idlePipelines() {
        return PERMITS.availablePermits();
    }

    private static boolean mayOverlap() {
        return switch (System.getProperty(OVERLAP_PROPERTY, "auto")) {
            case "always" -> true;
            case "never" -> false;
            default -> SpareCore.available();
        };
    }

    private static long overlapped(ReadableByteChannel body, MessageDigest digest, AppendWriter writer,
                                   ByteBuffer[] ring, BooleanSupplier overlap) throws IOException {
        ByteBuffer slice = ring[0].clear();
        boolean end = fill(body, slice);
        slice.flip();
        long received = slice.remaining();
        if (end || !overlap.getAsBoolean()) {
            hashAndWrite(slice, digest, writer);
            return end ? received : received + inline(body, digest, writer, Buffers.copyBuffer());
        }
        Hasher hasher = new Hasher(ring, digest);
        try {
            HASHERS.execute(hasher);
        } catch (RejectedExecutionException e) {
            // No thread to be had (a race with an expiring one): this thread does it all.
            hashAndWrite(slice, digest, writer);
            return received + inline(body, digest, writer, Buffers.copyBuffer());
        }
        try {
            while (true) {
                hasher.hash(slice);
                writer.write(slice);
                if (end) break;
                slice = hasher.nextFree();
                end = fill(body, slice);
                slice.flip();
                if (!slice.hasRemaining()) break;
                received += slice.remaining();
            }
            hasher.finish();
            return received;
        } finally {
            hasher.stop();
        }
    }

    /** The loop every body took before: one buffer, read, hash, write. */
    private static long inline(ReadableByteChannel body, MessageDigest digest, AppendWriter writer, ByteBuffer buffer)
            throws IOException {
        long received = 0;
        while (body.read(buffer) >= 0) {
            if (buffer.position() == 0) continue;
            buffer.flip();
            received += buffer.remaining();
            hashAndWrite(buffer, digest, writer);
            buffer.clear();
        }
        return received;
    }

    private static void hashAndWrite(ByteBuffer bytes, MessageDigest digest, AppendWriter writer) throws IOException {
        digest.update(bytes.duplicate());
        writer.write(bytes);
    }

    /** Reads until {@code slice} is full or the body ends; true at the end of the body. */
    private static boolean fill(ReadableByteChannel body, ByteBuffer slice) throws IOException {
        while (slice.hasRemaining()) {
            if (body.read(slice) < 0) return true;
        }
        return false;
    }

    private static ByteBuffer[] newRing() {
        ByteBuffer[] ring = new ByteBuffer[SLICES];
        for (int i = 0; i < SLICES; i++) ring[i] = ByteBuffer.allocateDirect(SLICE_BYTES);
        return ring;
    }

    /**
     * The second thread of one body: hashes filled slices in order and hands each one back. It
     * always drains its queue up to {@link #END}, also after a failure or a cancel, so the request
     * thread never waits for a slice that does not come back.
     */
    private static final class Hasher implements Runnable {
        private final MessageDigest digest;
        private final ArrayBlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(SLICES + 1);
        private final ArrayBlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(SLICES);
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean cancelled;
        private boolean ended;
        private Throwable failure;

        Hasher(ByteBuffer[] ring, MessageDigest digest) {
            this.digest = digest;
            for (int i = 1; i < ring.length; i++) free.add(ring[i]);
        }

        @Override
        public void run() {
            try {
                for (ByteBuffer slice = take(); slice != END; slice = take()) {
                    if (failure == null && !cancelled) {
                        try {
                            digest.update(slice);
                        } catch (Throwable e) {
                            failure = e;
                        }
                    }
                    free.add(slice);
                }
            } finally {
                done.countDown();
            }
        }

        private ByteBuffer take() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return filled.take();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }

        /**
         * Queues a filled slice for hashing, as a view of its own, so that the caller may read
         * the slice meanwhile (to write it); there is always room, the ring being smaller.
         */
        void hash(ByteBuffer slice) {
            filled.add(slice.duplicate());
        }

        /** A slice the hasher is done with, cleared, waiting for one if need be. */
        ByteBuffer nextFree() throws IOException {
            try {
                return free.take().clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing an upload");
            }
        }

        /** Waits until every queued slice is hashed; rethrows what the hasher failed with. */
        void finish() throws IOException {
            end();
            awaitDone();
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IOException("hashing failed", failure);
        }

        /** After a failure or a finish alike: tells the hasher to stop and waits until it has. */
        void stop() {
            cancelled = true;
            end();
            awaitDone();
        }

        private void end() {
            if (ended) return;
            ended = true;
            filled.add(END);
        }

        private void awaitDone() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
