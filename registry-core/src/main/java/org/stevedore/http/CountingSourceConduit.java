package org.stevedore.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Counts request body bytes as they are read, whatever reads them (streams, channels, zero-copy
 * transfers): Undertow counts bytes sent but not bytes received. Read by one thread at a time,
 * so a plain field is enough; read by the completion listener after the exchange ended.
 */
final class CountingSourceConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
    private long count;

    CountingSourceConduit(StreamSourceConduit next) {
        super(next);
    }

    long count() {
        return count;
    }

    private long counted(long n) {
        if (n > 0) count += n;
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) counted(next.read(dst));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        return counted(next.read(dsts, offs, len));
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return counted(next.transferTo(position, count, target));
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        // throughBuffer may keep bytes read but not yet written; they were read all the same.
        return counted(next.transferTo(count, throughBuffer, target));
    }
}
