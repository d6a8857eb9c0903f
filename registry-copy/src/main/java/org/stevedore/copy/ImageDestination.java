package org.stevedore.copy;

import java.io.IOException;
import java.io.InputStream;
import org.stevedore.model.Digest;

/**
 * Where a copy writes to. Blobs first, then the manifests that reference them; closing it
 * releases what it holds.
 */
interface ImageDestination extends java.io.Closeable {
    /** False for a destination holding one image only: an index must be narrowed to a platform. */
    default boolean holdsIndexes() {
        return true;
    }

    boolean hasBlob(Digest digest) throws IOException;

    /** Links the blob from {@code from} on the same registry without sending it; false when that did not happen. */
    default boolean mount(Digest digest, ImageLocation.Registry from) throws IOException {
        return false;
    }

    /** Stores {@code size} bytes from {@code content} as blob {@code digest}, checked against it. */
    void putBlob(Digest digest, long size, InputStream content) throws IOException;

    /** Stores a manifest under a tag or (for an index's children) its digest. */
    void putManifest(String reference, Fetched manifest) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
