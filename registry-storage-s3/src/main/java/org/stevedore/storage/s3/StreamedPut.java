package org.stevedore.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * One PUT of an object whose size is known before its first byte, fed while it is sent: the
 * writer's bytes go through a small bounded queue to a request running on its own thread, so the
 * store writes them once, as they arrive (a multipart upload costs S3Proxy's file backend a second
 * pass to concatenate the parts, and a copy would cost a third).
 *
 * <p>Nothing becomes visible before the commit: the last byte is held back until then, and the
 * store creates an object only once it has every byte its {@code Content-Length} announced. A
 * write given up (digest mismatch, short body, node closing) makes the request's body fail, and
 * the connection is dropped with the object never created; a node killed mid-write leaves nothing
 * either, as its connection dies with it. The body cannot be sent twice, so the SDK cannot retry
 * this request: a failure fails the push, which the client retries.
 */
final class StreamedPut {
    /** A body chunk that ends the body normally. */
    private static final byte[] END = new byte[0];
    /** Bytes in the queue at most: chunks of the caller's buffers, copied. */
    private static final int QUEUED_CHUNKS = 8;
    private static final int CHUNK_BYTES = 256 * 1024;
    /** Threads for the requests, one per streamed PUT under way, none kept long while idle. */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "s3-streamed-put");
        thread.setDaemon(true);
        return thread;
    });
    /** The PUT's time is the client's pace, not the store's: its own bound, far above any push. */
    private static final Duration CALL_TIMEOUT = Duration.ofHours(12);

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
    private final AtomicBoolean abandoned = new AtomicBoolean();
    private final long size;
    private final CompletableFuture<Void> sent;
    private long queued;
    private byte[] held;

    StreamedPut(S3Driver driver, String key, long size) {
        this.size = size;
        AtomicBoolean opened = new AtomicBoolean();
        RequestBody body = RequestBody.fromContentProvider(() -> {
            if (!opened.compareAndSet(false, true)) throw new IllegalStateException("a streamed body cannot be sent again");
            return new QueueStream();
        }, size, "application/octet-stream");
        var put = driver.put(key).toBuilder().overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT)).build();
        this.sent = CompletableFuture.runAsync(() -> driver.client().putObject(put, body), THREADS);
    }

    /** Queues the bytes of {@code source} (all of them), holding back the object's last byte. */
    void write(ByteBuffer source) throws IOException {
        while (source.hasRemaining()) {
            int n = source.remaining();
            if (queued + n >= size) n = (int) Math.max(0, size - 1 - queued); // the last byte waits for commit
            if (n == 0) {
                if (held != null || queued + 1 != size) throw new IOException("s3: more bytes than the " + size + " announced");
                held = new byte[] {source.get()};
                continue;
            }
            byte[] chunk = new byte[Math.min(n, CHUNK_BYTES)];
            source.get(chunk);
            offer(chunk);
            queued += chunk.length;
        }
    }

    /** Sends the held-back byte and waits for the store to have the object. */
    void commit(long written) throws IOException {
        if (written != size) {
            abandon();
            throw new IOException("s3: " + written + " bytes written where " + size + " were announced");
        }
        if (held != null) offer(held);
        offer(END);
        try {
            sent.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SdkException sdk) throw sdk;
            throw new IOException("s3: the streamed PUT failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new InterruptedIOException("s3: interrupted while the PUT completed");
        }
    }

    /** Makes the body fail, so the store never creates the object; waits for the request to end. */
    void abandon() {
        if (!abandoned.compareAndSet(false, true)) return;
        queue.clear();
        queue.offer(END); // wakes a reader waiting for bytes; it sees the abandonment
        try {
            sent.get();
        } catch (ExecutionException expected) {
            // the request failed, as intended
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void offer(byte[] chunk) throws IOException {
        try {
            while (!queue.offer(chunk, 1, java.util.concurrent.TimeUnit.SECONDS)) {
                if (sent.isDone()) break; // the request ended early; its outcome is reported on commit
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new InterruptedIOException("s3: interrupted while a PUT was fed");
        }
    }

    /** The request's body: the queued chunks, failing once the write is abandoned. */
    private final class QueueStream extends InputStream {
        private byte[] chunk = new byte[0];
        private int position;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) return 0;
            while (position == chunk.length) {
                if (ended) return -1;
                try {
                    chunk = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("s3: the PUT's body was interrupted");
                }
                position = 0;
                if (abandoned.get()) throw new IOException("s3: the write was given up; the object is not created");
                if (chunk == END) ended = true;
            }
            int n = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, target, offset, n);
            position += n;
            return n;
        }
    }
}
