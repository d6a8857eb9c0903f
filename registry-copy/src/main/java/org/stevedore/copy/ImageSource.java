package org.stevedore.copy;

import java.io.IOException;
import java.io.InputStream;
import org.stevedore.model.Digest;

/** Where a copy reads from; closing it releases what it holds (temporary files, an open archive). */
interface ImageSource extends java.io.Closeable {
    /** The manifest a tag or digest names, its digest checked. */
    Fetched manifest(String reference) throws IOException;

    /** The blob's bytes, streamed; the caller closes the stream. */
    InputStream blob(Digest digest) throws IOException;

    /** The digests of the manifests whose subject is {@code digest} (OCI referrers); empty when the source keeps none. */
    default java.util.List<Digest> referrers(Digest digest) throws IOException {
        return java.util.List.of();
    }

    /** The registry host and repository, when the source is a registry (for mounts). */
    default java.util.Optional<ImageLocation.Registry> registry() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() throws IOException {
    }
}
