package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.stevedore.internal.io.Buffers;
import org.stevedore.storage.Content;
import org.xnio.IoUtils;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSinkChannel;

/**
 * Sends blob bytes. Runs on a worker thread, blocking, and writes to the connection from that
 * thread (no hand-over to the I/O thread). A file goes one of two ways:
 * <ul>
 *   <li>to a client on another host, to its end: {@code transferTo}, which the kernel does without
 *       copying through this process (sendfile);</li>
 *   <li>to a client on this host, or a range ending mid-file: read into the thread's 256 KiB direct
 *       copy buffer and written from there, one write per read.</li>
 * </ul>
 * Other content (a remote store's stream) goes through one 256 KiB heap buffer.
 *
 * <p>Why a copy for a client on this host (docs/download-path.md): with sendfile the
 * socket carries page-cache pages, which the receiver, on this machine too, copies out of memory
 * no CPU cache holds; it then spends twice the CPU of the whole send (0.5 against 0.25 CPU-s/GB
 * for curl) and caps the download. After a copy the receiver reads bytes written a moment ago,
 * and the two sides' work is balanced (0.30 and 0.25 CPU-s/GB). Across a network the receiver's
 * copy costs this machine nothing, so sendfile, which spends the least here, wins.
 */
final class BlobSender {
    private static final int STREAM_BUFFER_BYTES = 256 * 1024;

    private BlobSender() {
    }

    /** Sends {@code count} bytes of {@code content} from its start; the caller closes the content. */
    static void send(HttpServerExchange exchange, Content content, long count) throws IOException {
        send(exchange, content, count, !sameHost(exchange));
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

    /** Whether the client connected from this host: over loopback, or to an address of this host's from that same address. */
    static boolean sameHost(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        InetSocketAddress local = exchange.getConnection().getLocalAddress(InetSocketAddress.class);
        return peer != null && local != null && sameHost(peer.getAddress(), local.getAddress());
    }

    static boolean sameHost(InetAddress peer, InetAddress local) {
        if (peer == null) return false;
        return peer.isLoopbackAddress() || peer.equals(local);
    }

    /**
     * Reads a buffer's worth, then writes it whole: few system calls (4,096 of each per GiB), and
     * the buffer stays in the CPU cache between the two. Larger reads measured no faster.
     */
    private static void copyFile(HttpServerExchange exchange, Content.OfFile file, long count) throws IOException {
        FileChannel channel = file.channel();
        ByteBuffer chunk = Buffers.copyBuffer();
        long position = file.position();
        long remaining = count;
        StreamSinkChannel sink = null;
        try {
            while (remaining > 0) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), remaining));
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
