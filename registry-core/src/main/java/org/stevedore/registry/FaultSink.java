package org.stevedore.registry;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;

/**
 * A response body altered by a fault: paced to a bandwidth, cut after some bytes (then the
 * connection closes), or with one byte changed. Zero-copy file transfers go through a buffer
 * here, so every byte passes the fault.
 */
final class FaultSink extends AbstractStreamSinkConduit<StreamSinkConduit> {
    private static final int TRANSFER_BUFFER = 64 * 1024;

    private final HttpServerExchange exchange;
    private final Pace pace;
    private final long cutAfter;
    private final long corruptAt;
    private long written;
    private boolean cut;

    private FaultSink(StreamSinkConduit next, HttpServerExchange exchange, Pace pace, long cutAfter, long corruptAt) {
        super(next);
        this.exchange = exchange;
        this.pace = pace;
        this.cutAfter = cutAfter;
        this.corruptAt = corruptAt;
    }

    static FaultSink throttled(StreamSinkConduit next, HttpServerExchange exchange, long bytesPerSecond) {
        return new FaultSink(next, exchange, new Pace(bytesPerSecond), -1, -1);
    }

    static FaultSink truncated(StreamSinkConduit next, HttpServerExchange exchange, long bytes) {
        return new FaultSink(next, exchange, Pace.NONE, bytes, -1);
    }

    /** Changes the middle byte of the body (the first when its length is unknown). */
    static FaultSink corrupted(StreamSinkConduit next, HttpServerExchange exchange) {
        long length = exchange.getResponseContentLength();
        return new FaultSink(next, exchange, Pace.NONE, -1, length > 0 ? length / 2 : 0);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (cut) return discard(src);
        if (!src.hasRemaining()) return 0;
        int allowed = pace.allow(src.remaining(), written);
        if (cutAfter >= 0) allowed = (int) Math.min(allowed, cutAfter - written);
        ByteBuffer slice = src.duplicate();
        slice.limit(slice.position() + allowed);
        if (corruptAt >= written && corruptAt < written + allowed) {
            ByteBuffer copy = ByteBuffer.allocate(allowed).put(slice).flip();
            int index = (int) (corruptAt - written);
            copy.put(index, (byte) (copy.get(index) ^ 0x01));
            slice = copy;
        }
        int n = next.write(slice);
        src.position(src.position() + n);
        written += n;
        if (cutAfter >= 0 && written >= cutAfter) cut();
        return n;
    }

    /** After the cut the sender carries on into nothing, so it finishes as usual and logs no error. */
    private static int discard(ByteBuffer src) {
        int n = src.remaining();
        src.position(src.limit());
        return n;
    }

    @Override
    public boolean flush() throws IOException {
        return cut || next.flush();
    }

    @Override
    public void terminateWrites() throws IOException {
        if (!cut) next.terminateWrites();
    }

    @Override
    public void awaitWritable() throws IOException {
        if (!cut) next.awaitWritable();
    }

    @Override
    public void awaitWritable(long time, java.util.concurrent.TimeUnit timeUnit) throws IOException {
        if (!cut) next.awaitWritable(time, timeUnit);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int before = srcs[i].remaining();
            int n = write(srcs[i]);
            total += n;
            if (n < before) break;
        }
        return total;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return Conduits.writeFinalBasic(this, src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return Conduits.writeFinalBasic(this, srcs, offset, length);
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) throws IOException {
        if (cut) return count;
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(TRANSFER_BUFFER, count));
        int read = src.read(buffer, position);
        if (read <= 0) return 0;
        return write(buffer.flip());
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
        return Conduits.transfer(source, count, throughBuffer, this);
    }

    /**
     * Sends what was written so far; the rest is discarded. The response stays short of its
     * Content-Length, so Undertow closes the connection when the exchange ends (closing it here
     * would fail the sender's next write, which the registry would log as an error).
     */
    private void cut() {
        cut = true;
        exchange.setPersistent(false);
        try {
            next.flush();
        } catch (IOException e) {
            IoUtils.safeClose(exchange.getConnection());
        }
    }

    /** Bytes per second as a budget: a write waits until its bytes are due, and sends at most a tenth of a second's worth. */
    static final class Pace {
        static final Pace NONE = new Pace(0);

        private final long bytesPerSecond;
        private final long started = System.nanoTime();

        Pace(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
        }

        int allow(int wanted, long doneSoFar) throws IOException {
            if (bytesPerSecond <= 0) return wanted;
            long dueNanos = doneSoFar * 1_000_000_000L / bytesPerSecond;
            long waitNanos = dueNanos - (System.nanoTime() - started);
            if (waitNanos > 0 && org.xnio.XnioIoThread.currentThread() == null) {
                try {
                    Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("throttled transfer interrupted");
                }
            }
            return (int) Math.max(1, Math.min(wanted, Math.max(1, bytesPerSecond / 10)));
        }
    }
}
