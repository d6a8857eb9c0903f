package org.stevedore.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The upstream's bytes as a channel for the upload service to store, copying each chunk to the
 * client as the next one is read. The last chunk is held back until {@link #release()}: the
 * caller releases it only once the stored bytes are verified, so a client whose response
 * completes has the right content. A client write failure (disconnect) only stops the copying.
 */
final class TeeChannel implements ReadableByteChannel {
    private final InputStream upstream;
    private final OutputStream client;
    private byte[] chunk = new byte[64 * 1024];
    private byte[] held = new byte[64 * 1024];
    private int heldLength;
    private boolean clientGone;
    private boolean open = true;

    TeeChannel(InputStream upstream, OutputStream client) {
        this.upstream = upstream;
        this.client = client;
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        int n;
        try {
            n = upstream.read(chunk, 0, Math.min(chunk.length, destination.remaining()));
        } catch (IOException e) {
            // Told apart from storage failures, which stay IOExceptions: the upstream broke off.
            throw new UpstreamUnavailableException("upstream stream broke: " + e.getMessage());
        }
        if (n < 0) return -1; // the held chunk waits for release()
        sendHeld();
        destination.put(chunk, 0, n);
        // Swap rather than copy: the chunk just read becomes the held one.
        byte[] swap = held;
        held = chunk;
        chunk = swap;
        heldLength = n;
        return n;
    }

    /** Sends the held-back last chunk and flushes: call once the content is verified. */
    void release() {
        sendHeld();
        if (clientGone) return;
        try {
            client.flush();
        } catch (IOException e) {
            clientGone = true;
        }
    }

    /** Whether the client stopped accepting bytes. */
    boolean clientGone() {
        return clientGone;
    }

    private void sendHeld() {
        if (heldLength == 0) return;
        if (!clientGone) {
            try {
                client.write(held, 0, heldLength);
            } catch (IOException e) {
                // The client went away; storing continues so that the next pull finds the blob.
                clientGone = true;
            }
        }
        heldLength = 0;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        upstream.close();
    }
}
