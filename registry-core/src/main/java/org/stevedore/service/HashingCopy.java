package org.stevedore.service;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.stevedore.internal.io.Buffers;
import org.stevedore.storage.AppendWriter;

/**
 * Copies a request body to storage and hashes it in the same pass, the hash on a second thread.
 * One upload stream is bound by the CPU, and its hash (0.75 CPU-s per GB here) costs about as
 * much as reading the socket and writing the file together, so side by side they take about half
 * the time per byte (docs/performance.md). The request thread reads a slice of its copy buffer,
 * queues it for the hasher and writes it to storage; it reads into a slice again only once the
 * hasher handed it back. The digest sees the bytes in order. No memory beyond the copy buffer.
 *
 * <p>A body that ends within the first slice is hashed on the request thread: handing it over
 * would cost more than it saves.
 */
final class HashingCopy {
    static final int SLICE_BYTES = 64 * 1024;
    private static final int SLICES = Buffers.COPY_BUFFER_BYTES / SLICE_BYTES;
    /** Ends the hasher's queue; in the free queue, tells the request thread that the hasher failed. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** One hasher per upload in progress; idle threads end after half a minute. */
    private static final ThreadPoolExecutor HASHERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "stevedore-hash-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private HashingCopy() {
    }

    /** Copies {@code body} to {@code writer} until its end, updating {@code digest}; returns the bytes copied. */
    static long copy(ReadableByteChannel body, AppendWriter writer, MessageDigest digest) throws IOException {
        ByteBuffer buffer = Buffers.copyBuffer();
        ByteBuffer chunk = slice(buffer, 0);
        boolean ended = fill(body, chunk);
        chunk.flip();
        if (ended) {
            long n = chunk.remaining();
            digest.update(chunk.duplicate());
            writer.write(chunk);
            return n;
        }
        Hasher hasher = new Hasher(digest);
        HASHERS.execute(hasher);
        try {
            for (int i = 1; i < SLICES; i++) hasher.free.add(slice(buffer, i));
            long received = 0;
            while (chunk.hasRemaining()) {
                received += chunk.remaining();
                ByteBuffer view = chunk.duplicate(); // the hasher moves the chunk's position
                hasher.queue.add(chunk);
                writer.write(view);
                if (ended) break;
                chunk = hasher.takeFree().clear();
                ended = fill(body, chunk);
                chunk.flip();
            }
            hasher.finish();
            return received;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing an upload");
        } finally {
            hasher.stop(); // the slices are this thread's buffer: nobody may read them after this
        }
    }

    /** Reads until {@code chunk} is full or the body ends; true at the end. */
    private static boolean fill(ReadableByteChannel body, ByteBuffer chunk) throws IOException {
        while (chunk.hasRemaining()) {
            if (body.read(chunk) < 0) return true;
        }
        return false;
    }

    private static ByteBuffer slice(ByteBuffer buffer, int index) {
        return buffer.duplicate().position(index * SLICE_BYTES).limit((index + 1) * SLICE_BYTES).slice();
    }

    /** The second thread: hashes queued slices in order and hands each back as free. */
    private static final class Hasher implements Runnable {
        /** Never full: at most every slice and one END are in it. */
        final BlockingQueue<ByteBuffer> queue = new ArrayBlockingQueue<>(SLICES + 1);
        final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(SLICES + 1);
        private final MessageDigest digest;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Throwable failure;
        private volatile boolean stopped;

        Hasher(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void run() {
            try {
                for (ByteBuffer chunk; (chunk = queue.take()) != END; ) {
                    if (!stopped) digest.update(chunk);
                    free.add(chunk);
                }
            } catch (InterruptedException | RuntimeException | Error e) {
                failure = e;
                free.add(END);
            } finally {
                done.countDown();
            }
        }

        /** A slice the hasher is done with; waits while every slice is queued. */
        ByteBuffer takeFree() throws InterruptedException, IOException {
            ByteBuffer chunk = free.take();
            if (chunk == END) throw new IOException("hashing the upload failed", failure);
            return chunk;
        }

        /** Waits until every queued slice is hashed. */
        void finish() throws InterruptedException, IOException {
            queue.add(END);
            done.await();
            if (failure != null) throw new IOException("hashing the upload failed", failure);
        }

        /** Ends the hasher, hashing nothing more, and waits for it to end. */
        void stop() {
            stopped = true;
            queue.offer(END);
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
