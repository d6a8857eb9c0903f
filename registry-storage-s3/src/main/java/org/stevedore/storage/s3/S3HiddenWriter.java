package org.stevedore.storage.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.stevedore.storage.HiddenWriter;
import org.stevedore.storage.SmallFile;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@link S3Driver#writeHidden}: the bytes go straight to the target's key, so that no copy follows
 * (a move on S3 is a server-side copy, and S3Proxy's file backend rewrites every byte for it). A
 * file that fits in one part ({@code chunksize}) is one PUT on commit. A larger one whose size is
 * known streams as one PUT whose last byte waits for the commit ({@link StreamedPut}). Otherwise a multipart
 * upload of the target's key, its parts sent while the next one fills ({@link SentParts}),
 * completed on commit and aborted on close: until completion S3 shows nothing new at the key.
 *
 * <p>When the upload starts, its id and key are written as {@link WriterState} beside the staging
 * path (in the caller's directory, an upload session's), so deleting that directory aborts it from
 * any node ({@link S3TreeDeletion}); an upload whose writer was killed before that PUT is found
 * by {@link StaleUploads} through {@code ListMultipartUploads}. Not thread-safe.
 */
final class S3HiddenWriter implements HiddenWriter {
    private final S3Driver driver;
    private final String path;
    private final String key;
    private final String stateKey;
    private final int partSize;
    private final SentParts sent;
    private PartBuffer buffer;
    private String uploadId;
    private long size;
    private boolean closed;
    private boolean committed;

    /** How many bytes the caller said it would write, if it did: a commit of another number fails. */
    private final java.util.OptionalLong announced;
    /** The single PUT that takes the bytes when their number is known, else null. */
    private final StreamedPut streamed;

    /**
     * A writer of {@code path}; with {@code size} known and above one part (and at most S3's 5 GiB
     * for one PUT), the bytes stream as one PUT ({@link StreamedPut}), else as described above.
     * Only with aws-chunked encoding: without it the SDK reads a body twice (to sign or checksum it
     * first), which a body fed as it arrives cannot give.
     */
    static S3HiddenWriter open(S3Driver driver, String path, String stagingPath, java.util.OptionalLong size) {
        boolean oneRequest = size.isPresent() && size.getAsLong() > driver.settings().chunkSizeBytes()
                && size.getAsLong() <= MultipartUploads.MAX_COPY_PART_BYTES && driver.settings().chunkedEncoding();
        return new S3HiddenWriter(driver, path, stagingPath, size,
                oneRequest ? new StreamedPut(driver, driver.keys().file(path), size.getAsLong()) : null);
    }

    private S3HiddenWriter(S3Driver driver, String path, String stagingPath, java.util.OptionalLong announced,
                           StreamedPut streamed) {
        this.announced = announced;
        this.streamed = streamed;
        this.driver = driver;
        this.path = path;
        this.key = driver.keys().file(path);
        this.stateKey = driver.keys().writerState(stagingPath);
        this.partSize = driver.settings().chunkSizeBytes();
        this.sent = new SentParts(driver);
        this.buffer = new PartBuffer(driver.blocks());
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        ensureOpen();
        S3Errors.call("write", path, () -> {
            if (streamed != null) {
                size += source.remaining();
                streamed.write(source);
                return null;
            }
            while (source.hasRemaining()) {
                if (buffer.size() == partSize) sendPart();
                int n = Math.min(source.remaining(), partSize - buffer.size());
                buffer.write(source, n);
                size += n;
            }
            return null;
        });
    }

    @Override
    public void commit() throws IOException {
        ensureOpen();
        S3Errors.call("commit", path, () -> {
            try {
                if (announced.isPresent() && announced.getAsLong() != size) {
                    throw new IOException("s3: " + size + " bytes written to " + path + " where " + announced.getAsLong()
                            + " were announced");
                }
                if (streamed != null) {
                    streamed.commit(size);
                    committed = true;
                } else if (uploadId == null) {
                    // One part's worth or less: a single PUT replaces the object at once.
                    driver.client().putObject(driver.put(key), buffer.body());
                } else {
                    if (buffer.size() > 0) sendPart(); // the last part may be short
                    driver.multipart().complete(key, uploadId, sent.takeAll(), null);
                    uploadId = null; // completed: nothing to abort any more
                    deleteState();
                }
            } finally {
                close();
            }
            return null;
        });
    }

    /** The commit, then the files: S3 has no syncs to overlap, and each PUT is durable when it returns. */
    @Override
    public void commitThenWriteInOrder(List<SmallFile> files) throws IOException {
        commit();
        driver.writeSmallInOrder(files);
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (streamed != null && !committed) streamed.abandon();
        sent.drainQuietly();
        buffer.release();
        if (uploadId != null) {
            driver.multipart().abortQuietly(key, uploadId);
            uploadId = null;
            try {
                deleteState();
            } catch (SdkException e) {
                throw S3Errors.translate("close", path, e);
            }
        }
    }

    private void sendPart() throws IOException {
        if (uploadId == null) {
            uploadId = driver.multipart().start(key);
            driver.client().putObject(b -> b.bucket(driver.settings().bucket()).key(stateKey),
                    RequestBody.fromBytes(new WriterState(uploadId, key).toJson()));
        }
        if (sent.count() + 1 >= MultipartUploads.TAIL_PART) {
            throw new IOException("s3: " + path + " would need more than " + (MultipartUploads.TAIL_PART - 1)
                    + " parts of chunksize " + partSize + " bytes; a larger chunksize allows larger files");
        }
        buffer = sent.send(key, uploadId, sent.count() + 1, buffer);
    }

    private void deleteState() {
        driver.client().deleteObject(b -> b.bucket(driver.settings().bucket()).key(stateKey));
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException("s3: the writer of " + path + " is closed");
    }
}
