package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.TimeUnit;
import org.stevedore.error.ErrorCode;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSourceChannel;

/**
 * The request body as a blocking {@link ReadableByteChannel}, read straight from Undertow's
 * channel into the caller's (direct) buffer: no intermediate {@code byte[]}. A read that waits
 * longer than the idle bound fails, so a stalled client cannot hold a worker forever.
 */
final class RequestBody implements ReadableByteChannel {
    private final StreamSourceChannel channel;
    private final long idleMillis;
    private boolean open = true;

    RequestBody(HttpServerExchange exchange, long idleMillis) {
        this.channel = exchange.getRequestChannel();
        this.idleMillis = idleMillis;
        if (channel == null) throw new IllegalStateException("request body already taken");
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        int n;
        try {
            n = Channels.readBlocking(channel, destination, idleMillis, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new ClientBodyException("reading the request body failed: " + e.getMessage(), e);
        }
        if (n == 0 && destination.hasRemaining()) {
            throw new ClientBodyException("client sent nothing for " + idleMillis + " ms", null);
        }
        return n;
    }

    /** Reads the whole body, at most {@code maxBytes}; more is {@code SIZE_TOO_LARGE}. */
    byte[] readAll(int maxBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.min(maxBytes + 1, 64 * 1024));
        while (read(buffer) >= 0) {
            if (!buffer.hasRemaining()) {
                if (buffer.capacity() > maxBytes) {
                    throw ErrorCode.SIZE_TOO_LARGE.withDetail("body larger than " + maxBytes + " bytes");
                }
                ByteBuffer bigger = ByteBuffer.allocate((int) Math.min((long) buffer.capacity() * 2, maxBytes + 1L));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
