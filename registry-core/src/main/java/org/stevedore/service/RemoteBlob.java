package org.stevedore.service;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.OptionalLong;

/**
 * A blob on its way from a {@link ContentSource}: its bytes go to the client and into storage in
 * one pass. Only bytes whose digest was verified become visible in storage. Not thread-safe; the
 * opener closes it.
 */
public interface RemoteBlob extends Closeable {

    /** The size the upstream announced, when it did. */
    OptionalLong size();

    /**
     * Sends the blob to {@code client} while storing it, verifies its digest, then publishes it in
     * the repository. The last bytes reach the client only after verification, so a client never
     * receives a complete response with wrong content. A client that goes away does not stop the
     * store.
     *
     * @return the stored blob
     */
    BlobInfo transferTo(OutputStream client) throws IOException;
}
