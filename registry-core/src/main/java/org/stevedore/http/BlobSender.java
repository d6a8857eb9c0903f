package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.stevedore.internal.io.Buffers;
import org.stevedore.storage.Content;
import org.xnio.IoUtils;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSinkChannel;

/**
 * Sends blob bytes. Runs on a worker thread, blocking. A file that is sent to its end goes with
 * {@code transferTo}, which the kernel does without copying through the JVM (sendfile); a range
 * ending mid-file goes through 64 KiB of the thread's direct copy buffer; other content (a remote
 * store's stream) through one 256 KiB buffer.
 *
 * <p>Measured (docs/performance.md): over loopback a copy halves the receiver's CPU per GB, but on
 * a quiet machine sendfile still downloads faster (1.8 against 1.2 GB/s with regbench), so every
 * client gets sendfile.
 */
final class BlobSender {
    private static final int STREAM_BUFFER_BYTES = 256 * 1024;
    /** Small enough to stay in the CPU cache between the file read and the socket write. */
    static final int FILE_CHUNK_BYTES = 64 * 1024;

    private BlobSender() {
    }

    /** Sends {@code count} bytes of {@code content} from its start; the caller closes the content. */
    static void send(HttpServerExchange exchange, Content content, long count) throws IOException {
        send(exchange, content, count, true);
    }

    /** As {@link #send(HttpServerExchange, Content, long)}, with the choice of sendfile for a file made. */
    static void send(HttpServerExchange exchange, Content content, long count, boolean zeroCopy) throws IOException {
        if (content instanceof Content.OfFile file) {
            // Only transfers that end at the end of the file go zero-copy: when the headers are
            // still buffered, Undertow's response conduit fills its buffer from the file without
            // bounding the read by count, so a range ending mid-file would send extra bytes.
            // And Undertow fills that buffer from the channel's own position, not the one given.
            if (zeroCopy && file.position() + count == file.channel().size()) {
                file.channel().position(file.position());
                StreamSinkChannel sink = exchange.getResponseChannel();
                Channels.transferBlocking(sink, file.channel(), file.position(), count);
                sink.shutdownWrites();
                Channels.flushBlocking(sink);
            } else {
                copyFile(exchange, file, count);
            }
            return;
        }
        copyStream(exchange, content, count);
    }

    private static void copyFile(HttpServerExchange exchange, Content.OfFile file, long count) throws IOException {
        FileChannel channel = file.channel();
        ByteBuffer chunk = Buffers.copyBuffer();
        long position = file.position();
        long remaining = count;
        StreamSinkChannel sink = null;
        try {
            while (remaining > 0) {
                chunk.clear().limit((int) Math.min(FILE_CHUNK_BYTES, remaining));
                int n = channel.read(chunk, position);
                if (n < 0) throw new IOException("blob ended early");
                if (sink == null) sink = exchange.getResponseChannel(); // see copyStream
                chunk.flip();
                Channels.writeBlocking(sink, chunk);
                position += n;
                remaining -= n;
            }
        } catch (IOException | RuntimeException e) {
            if (remaining < count) cut(exchange);
            throw e;
        }
        finish(exchange, sink);
    }

    private static void copyStream(HttpServerExchange exchange, Content content, long count) throws IOException {
        long remaining = count;
        StreamSinkChannel sink = null;
        try (InputStream in = content.asStream()) {
            byte[] buffer = new byte[(int) Math.min(STREAM_BUFFER_BYTES, count)];
            ByteBuffer chunk = ByteBuffer.wrap(buffer);
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) throw new IOException("blob ended early");
                // The channel is taken only once the first bytes are read: until then a failed
                // read leaves the exchange to the error handler, which answers with the error JSON.
                if (sink == null) sink = exchange.getResponseChannel();
                chunk.clear().limit(n);
                Channels.writeBlocking(sink, chunk); // whole chunks per write, not Undertow's 16 KiB buffers
                remaining -= n;
            }
        } catch (IOException | RuntimeException e) {
            if (remaining < count) cut(exchange);
            throw e;
        }
        finish(exchange, sink);
    }

    /**
     * Ends a response that failed after bytes were written. Never close the stream instead:
     * Undertow would complete the response, a short body (or, before the first byte, an empty one
     * with Content-Length 0) under a 200. With nothing written the error handler still answers
     * properly; with bytes written, maybe only buffered, only cutting the connection tells the
     * client it failed.
     */
    private static void cut(HttpServerExchange exchange) {
        exchange.setPersistent(false);
        IoUtils.safeClose(exchange.getConnection());
    }

    private static void finish(HttpServerExchange exchange, StreamSinkChannel sink) throws IOException {
        if (sink == null) sink = exchange.getResponseChannel(); // an empty range
        sink.shutdownWrites(); // every byte is there: completes the response
        Channels.flushBlocking(sink);
    }
}
