package org.stevedore.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.BlobInfo;
import org.stevedore.service.RemoteBlob;
import org.stevedore.service.UploadService;

/**
 * A blob streaming from the upstream into an upload session and to the client in one pass. The
 * upload service hashes and stores what it reads, verifies the digest and size, and only then
 * publishes the blob (verify, then publish): a broken or wrong upstream stream leaves nothing
 * visible, and its session is removed.
 */
final class StreamingBlob implements RemoteBlob {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingBlob.class);

    private final UploadService uploads;
    private final RepositoryName name;
    private final Digest digest;
    private final InputStream body;
    private final OptionalLong size;

    StreamingBlob(UploadService uploads, RepositoryName name, Digest digest, InputStream body, OptionalLong size) {
        this.uploads = uploads;
        this.name = name;
        this.digest = digest;
        this.body = body;
        this.size = size;
    }

    @Override
    public OptionalLong size() {
        return size;
    }

    @Override
    public BlobInfo transferTo(OutputStream client) throws IOException {
        try (TeeChannel tee = new TeeChannel(body, client)) {
            BlobInfo stored = uploads.uploadWhole(name, digest, tee, size);
            tee.release();
            if (tee.clientGone()) LOG.debug("client left while {} streamed; stored it anyway", digest);
            return stored;
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
