package org.stevedore.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/** A request body read no faster than a bandwidth cap: a slow uploader. */
final class FaultSource extends AbstractStreamSourceConduit<StreamSourceConduit> {
    private final FaultSink.Pace pace;
    private long read;

    FaultSource(StreamSourceConduit next, long bytesPerSecond) {
        super(next);
        this.pace = new FaultSink.Pace(bytesPerSecond);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) return 0;
        int allowed = pace.allow(dst.remaining(), read);
        ByteBuffer slice = dst.slice();
        slice.limit(allowed);
        int n = next.read(slice);
        if (n > 0) {
            dst.position(dst.position() + n);
            read += n;
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].hasRemaining()) return read(dsts[i]);
        }
        return 0;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(64 * 1024, count));
        int n = read(buffer);
        if (n <= 0) return n;
        buffer.flip();
        long done = 0;
        while (buffer.hasRemaining()) done += target.write(buffer, position + done);
        return done;
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return Conduits.transfer(this, count, throughBuffer, target);
    }
}
