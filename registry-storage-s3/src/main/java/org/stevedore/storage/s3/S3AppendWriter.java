package org.stevedore.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.stevedore.storage.AppendWriter;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Appends to an object with at most one part buffer ({@code chunksize}) in memory.
 *
 * <p>The committed object is the only thing a later writer needs, so a writer opened on any node
 * continues after the last committed byte. S3 objects cannot be appended to, so:
 * <ul>
 * <li>A file still smaller than S3's minimum part size is read into the buffer at the first write
 *     (bounded: under 5 MiB) and rewritten with one PUT on commit, or becomes the head of the first part.
 * <li>A larger file becomes the first parts of a new multipart upload by server-side
 *     {@code UploadPartCopy}: its bytes never pass through the registry.
 * <li>New bytes go out as a part each time the buffer fills; the upload id and parts (ETags,
 *     sizes, checksums) are kept in {@link WriterState} beside the file, so an upload nobody
 *     finishes can be found and aborted.
 * <li>{@link #commit()} completes the upload on the server, replacing the object at once: readers
 *     see the old or the new content. {@link #close()} without commit aborts it, so the object keeps
 *     exactly what it had when this writer opened.
 * </ul>
 * Not thread-safe, like every {@link AppendWriter}.
 */
final class S3AppendWriter implements AppendWriter {
    /** Buffers grow to this before they grow to the part size, so small PATCHes stay small in memory. */
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final S3Driver driver;
    private final String path;
    private final String key;
    private final int partSize;
    private final boolean existed;
    private final long committedSize;

    private byte[] buffer = new byte[0];
    private int buffered;
    /** Whether the committed bytes still have to be read into the buffer (small files only). */
    private boolean preloadPending;
    private String uploadId;
    private final List<WriterState.Part> parts = new ArrayList<>();
    private long size;
    private boolean closed;

    private S3AppendWriter(S3Driver driver, String path, Optional<HeadObjectResponse> head) {
        this.driver = driver;
        this.path = path;
        this.key = driver.keys().file(path);
        this.partSize = driver.settings().chunkSizeBytes();
        this.existed = head.isPresent();
        this.committedSize = head.map(HeadObjectResponse::contentLength).orElse(0L);
        this.size = committedSize;
        this.preloadPending = committedSize > 0 && committedSize < S3DriverSettings.MIN_CHUNK_SIZE;
    }

    static S3AppendWriter open(S3Driver driver, String path) {
        Optional<HeadObjectResponse> head;
        try {
            head = Optional.of(driver.client().headObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().file(path))));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) throw e;
            head = Optional.empty();
        }
        return new S3AppendWriter(driver, path, head);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        ensureOpen();
        S3Errors.call("append", path, () -> {
            preload();
            while (source.hasRemaining()) {
                if (buffered == partSize) flushPart();
                int n = Math.min(source.remaining(), partSize - buffered);
                ensureCapacity(buffered + n);
                source.get(buffer, buffered, n);
                buffered += n;
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
                if (uploadId == null) {
                    commitWithoutUpload();
                } else {
                    if (buffered > 0) flushPart();
                    driver.multipart().complete(key, uploadId, parts);
                    deleteState();
                    uploadId = null;
                }
            } finally {
                close();
            }
            return null;
        });
    }

    private void commitWithoutUpload() throws IOException {
        if (size == committedSize) {
            // Nothing new: a file that did not exist is created empty, as append promises.
            if (!existed) driver.client().putObject(driver.put(key), RequestBody.empty());
            return;
        }
        if (!preloadPending && committedSize < S3DriverSettings.MIN_CHUNK_SIZE) {
            // The buffer holds the whole file: one PUT replaces it.
            byte[] bytes = buffer;
            int length = buffered;
            driver.client().putObject(driver.put(key),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                            "application/octet-stream"));
            return;
        }
        flushPart(); // copies the committed object as the first parts, then the buffer
        driver.multipart().complete(key, uploadId, parts);
        deleteState();
        uploadId = null;
    }

    @Override
    public void cancel() throws IOException {
        if (closed) return;
        S3Errors.call("cancel", path, () -> {
            try {
                driver.client().deleteObject(b -> b.bucket(driver.settings().bucket()).key(key));
            } finally {
                close();
            }
            return null;
        });
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        buffer = null;
        if (uploadId != null) {
            driver.multipart().abortQuietly(key, uploadId);
            try {
                deleteState();
            } catch (SdkException e) {
                throw S3Errors.translate("close", path, e);
            }
            uploadId = null;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) throw new IOException("s3: the writer of " + path + " is closed");
    }

    /** Reads a small committed file into the buffer so that it leads the new bytes. */
    private void preload() throws IOException {
        if (!preloadPending) return;
        byte[] old = driver.client().getObjectAsBytes(b -> b.bucket(driver.settings().bucket()).key(key)).asByteArray();
        if (old.length != committedSize) {
            throw new IOException("s3: " + path + " changed while a writer was open (" + old.length + " bytes, expected " + committedSize + ")");
        }
        ensureCapacity(old.length);
        System.arraycopy(old, 0, buffer, 0, old.length);
        buffered = old.length;
        preloadPending = false;
    }

    /** Sends the buffer as the next part, starting the upload (and copying what was committed) first if needed. */
    private void flushPart() throws IOException {
        if (uploadId == null) {
            uploadId = driver.multipart().start(key);
            writeState();
            if (!preloadPending && committedSize >= S3DriverSettings.MIN_CHUNK_SIZE) {
                parts.addAll(driver.multipart().copy(key, committedSize, key, uploadId, 1));
            }
        }
        parts.add(driver.multipart().upload(key, uploadId, parts.size() + 1, buffer, buffered));
        buffered = 0;
        writeState();
    }

    private void ensureCapacity(int needed) {
        if (buffer.length >= needed) return;
        int grown = Math.max(needed, Math.min(partSize, Math.max(INITIAL_BUFFER, buffer.length * 2)));
        buffer = Arrays.copyOf(buffer, grown);
    }

    private void writeState() {
        driver.client().putObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().writerState(path)),
                RequestBody.fromBytes(new WriterState(uploadId, parts).toJson()));
    }

    private void deleteState() {
        driver.client().deleteObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().writerState(path)));
    }
}
