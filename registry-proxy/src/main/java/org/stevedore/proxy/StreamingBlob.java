package org.stevedore.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
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
            BlobInfo stored;
            try {
                stored = uploads.uploadWhole(name, digest, tee, size);
            } catch (RegistryException e) {
                if (e.code() != ErrorCode.DIGEST_INVALID && e.code() != ErrorCode.SIZE_INVALID) throw e;
                // The upstream's fault, not the client's: nothing was stored, the client learns the
                // pull failed (a cut connection once bytes went out, else this error).
                LOG.warn("upstream sent wrong content for {} in {}: {}", digest, name, e.getMessage());
                throw ErrorCode.UNAVAILABLE.withDetail("upstream registry sent content that does not match " + digest);
            } catch (UpstreamUnavailableException e) {
                LOG.warn("upstream failed while {} streamed: {}", digest, e.getMessage());
                throw ErrorCode.UNAVAILABLE.withDetail("upstream registry failed mid-blob");
            }
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
