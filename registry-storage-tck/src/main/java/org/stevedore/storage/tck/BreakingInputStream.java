package org.stevedore.storage.tck;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads through until {@code failAt} bytes were delivered, then fails: a read broken part-way. */
final class BreakingInputStream extends FilterInputStream {
    private final String path;
    private long remaining;

    BreakingInputStream(InputStream in, long failAt, String path) {
        super(in);
        this.remaining = failAt;
        this.path = path;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) throw broken();
        int b = super.read();
        if (b >= 0) remaining--;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) return 0;
        if (remaining <= 0) throw broken();
        int n = super.read(buffer, offset, (int) Math.min(length, remaining));
        if (n > 0) remaining -= n;
        return n;
    }

    private IOException broken() {
        return new IOException("injected broken read: " + path);
    }
}
