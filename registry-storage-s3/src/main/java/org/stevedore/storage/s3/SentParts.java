package org.stevedore.storage.s3;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The parts one writer has sent, some perhaps still on their way ({@link PartSender}): at most
 * {@link #MAX_OWN_IN_FLIGHT} at once, each in a buffer of its own that goes back to the pool when
 * its part has arrived. Not thread-safe, like the writer that owns it.
 */
final class SentParts {
    /** How many parts of one writer may travel while it fills the next: enough to keep one link busy. */
    static final int MAX_OWN_IN_FLIGHT = 2;

    private final S3Driver driver;
    private final List<WriterState.Part> arrived = new ArrayList<>();
    private final Deque<InFlight> inFlight = new ArrayDeque<>();

    private record InFlight(Future<WriterState.Part> part, PartBuffer buffer) {
    }

    SentParts(S3Driver driver) {
        this.driver = driver;
    }

    /** How many parts were sent (since the last {@link #takeAll}), arrived or not. */
    int count() {
        return arrived.size() + inFlight.size();
    }

    /**
     * Sends {@code buffer} as part {@code number} of the upload; returns the buffer the writer
     * goes on with: {@code buffer} itself, emptied, if the part was sent at once, or a new one if
     * the part travels in the background (the old one is then this object's until it arrives).
     */
    PartBuffer send(String key, String uploadId, int number, PartBuffer buffer) throws IOException {
        while (inFlight.size() >= MAX_OWN_IN_FLIGHT) arrive(inFlight.pollFirst());
        int length = buffer.size();
        if (driver.partSender().tryReserve()) {
            Future<WriterState.Part> part = driver.partSender().submit(
                    () -> driver.multipart().upload(key, uploadId, number, buffer.body(), length));
            inFlight.addLast(new InFlight(part, buffer));
            return new PartBuffer(driver.blocks());
        }
        arrived.add(driver.multipart().upload(key, uploadId, number, buffer.body(), length));
        buffer.clear();
        return buffer;
    }

    /**
     * Every part sent since the last call, in order, once all have arrived (the first failure of
     * any is thrown); they are then the caller's, and {@link #count()} starts again from zero.
     */
    List<WriterState.Part> takeAll() throws IOException {
        while (!inFlight.isEmpty()) arrive(inFlight.pollFirst());
        List<WriterState.Part> all = List.copyOf(arrived);
        arrived.clear();
        return all;
    }

    /** Waits for the parts still travelling, whatever their outcome, and frees their buffers. */
    void drainQuietly() {
        while (!inFlight.isEmpty()) {
            InFlight next = inFlight.pollFirst();
            try {
                next.part().get();
            } catch (ExecutionException e) {
                // the upload is being given up: its outcome no longer matters
            } catch (InterruptedException e) {
                abandon(next);
                continue;
            }
            next.buffer().release();
        }
    }

    private void arrive(InFlight next) throws IOException {
        WriterState.Part part;
        try {
            part = next.part().get();
        } catch (ExecutionException e) {
            next.buffer().release();
            drainQuietly();
            if (e.getCause() instanceof SdkException sdk) throw sdk;
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException("s3: a part could not be sent", e.getCause());
        } catch (InterruptedException e) {
            abandon(next);
            drainQuietly();
            throw new java.io.InterruptedIOException("s3: interrupted while a part was sent");
        }
        next.buffer().release();
        arrived.add(part);
    }

    /**
     * Gives up waiting for a part: its buffer is not given back to the pool (whose surplus blocks
     * are freed at once) since the sender may still read it; the collector frees it once unreachable.
     */
    private void abandon(InFlight next) {
        Thread.currentThread().interrupt();
        next.part().cancel(true);
    }
}
