package org.stevedore.internal.io;

import java.nio.ByteBuffer;

/**
 * One direct copy buffer per thread for streaming request bodies to storage: direct, so a socket
 * read and a file write need no extra copy, and reused, since allocating direct memory per
 * request is slow and only freed by the garbage collector.
 */
public final class Buffers {
    public static final int COPY_BUFFER_BYTES = 256 * 1024;
    private static final ThreadLocal<ByteBuffer> COPY =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(COPY_BUFFER_BYTES));

    private Buffers() {
    }

    /** This thread's copy buffer, cleared. Do not keep it past the current request. */
    public static ByteBuffer copyBuffer() {
        ByteBuffer buffer = COPY.get();
        buffer.clear();
        return buffer;
    }
}
