package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.stevedore.storage.Content;
import org.xnio.IoUtils;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSinkChannel;

/**
 * Sends blob bytes. A file goes from the {@code FileChannel} to the socket with
 * {@code transferTo}, which the kernel does without copying through the JVM (sendfile); other
 * content (a remote store's stream) goes through one 256 KiB buffer written straight to the
 * response channel. Runs on a worker thread, blocking.
 */
final class BlobSender {
    private static final int STREAM_BUFFER_BYTES = 256 * 1024;

    private BlobSender() {
    }

    /** Sends {@code count} bytes of {@code content} from its start; the caller closes the content. */
    static void send(HttpServerExchange exchange, Content content, long count) throws IOException {
        if (content instanceof Content.OfFile file && file.position() + count == file.channel().size()) {
            // Only transfers that end at the end of the file go zero-copy: when the headers are
            // still buffered, Undertow's response conduit fills its buffer from the file without
            // bounding the read by count, so a range ending mid-file would send extra bytes.
            StreamSinkChannel sink = exchange.getResponseChannel();
            Channels.transferBlocking(sink, file.channel(), file.position(), count);
            sink.shutdownWrites();
            Channels.flushBlocking(sink);
            return;
        }
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
            // Never close the stream here: Undertow would complete the response, a short body
            // (or, before the first byte, an empty one with Content-Length 0) under a 200. With
            // nothing written the error handler still answers properly; with bytes written,
            // maybe only buffered, only cutting the connection tells the client it failed.
            if (remaining < count) {
                exchange.setPersistent(false);
                IoUtils.safeClose(exchange.getConnection());
            }
            throw e;
        }
        if (sink == null) sink = exchange.getResponseChannel(); // an empty range
        sink.shutdownWrites(); // every byte is there: completes the response
        Channels.flushBlocking(sink);
    }
}
