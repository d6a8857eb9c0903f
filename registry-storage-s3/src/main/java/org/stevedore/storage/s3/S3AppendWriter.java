package org.stevedore.storage.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.WriteConflictException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Appends to an object with at most one part buffer ({@code chunksize}) in memory, made of pooled
 * blocks ({@link PartBuffer}) that go back to the driver's {@link BlockPool} on close.
 *
 * <p>A writer opened on any node continues after the last committed byte, from what the bucket
 * holds. S3 objects cannot be appended to, so:
 * <ul>
 * <li>A file still smaller than S3's minimum part size is read into the buffer at the first write
 *     (bounded: under 5 MiB) and rewritten with one PUT on commit, or becomes the head of the first part.
 * <li>Once a part has gone out, the multipart upload stays open across commits: a commit stores
 *     the bytes after the last full part as a small tail object and the upload id, parts and tail
 *     in the file's placeholder ({@link PendingFiles}); the next writer reads the tail back into
 *     its buffer, ahead of its new bytes, and goes on with the next part number. Each byte is thus
 *     sent once, not once per commit. The first read or move of the file completes the upload.
 * <li>A larger plain (completed) file becomes the first parts of a new multipart upload by
 *     server-side {@code UploadPartCopy}, completed on commit.
 * <li>While an upload is open its id is also kept in {@link WriterState} beside the file, so a
 *     deleted directory's uploads are found and aborted.
 * <li>{@link #close()} without commit aborts an upload this writer started; the file keeps exactly
 *     what it had when this writer opened (parts sent after the committed ones are replaced by
 *     the next writer, or dropped on completion).
 * </ul>
 * Every commit is conditional on the object this writer opened ({@link ConditionalWrites}): of
 * writers that opened one version of the file (several registry nodes appending at one offset),
 * exactly one commits and the others fail with {@link WriteConflictException}, having deleted
 * their tails and aborted the uploads they started. Each commit's tail has its own key, so a
 * loser never overwrites the winner's; a part a loser overwrote makes completion fail (see
 * {@link PendingFiles#materialize}).
 * Not thread-safe, like every {@link AppendWriter}.
 */
final class S3AppendWriter implements AppendWriter {
    private final S3Driver driver;
    private final String path;
    private final String key;
    private final int partSize;
    private final boolean existed;
    private final long committedSize;
    /** The ETag of the object this writer opened (null: there was none); its commit requires it still. */
    private String etag;

    private final PartBuffer buffer;
    /** Whether the committed bytes still have to be read into the buffer (small files only). */
    private boolean preloadPending;
    /** The committed state of a pending file (see {@link PendingFiles}), else null. */
    private PendingState committed;
    /** Whether the first write has checked that the file is still pending. */
    private boolean pendingChecked;
    /** Whether the committed tail still has to be read into the buffer. */
    private boolean tailPending;
    private String uploadId;
    /** Whether this writer started the upload, so that closing without commit aborts it. */
    private boolean ownUpload;
    private final List<WriterState.Part> parts = new ArrayList<>();
    private long size;
    private boolean closed;
    /** Whether another writer committed first, so that closing restores the winner's writer state. */
    private boolean lost;

    private S3AppendWriter(S3Driver driver, String path, Optional<HeadObjectResponse> head) {
        this.driver = driver;
        this.path = path;
        this.key = driver.keys().file(path);
        this.partSize = driver.settings().chunkSizeBytes();
        this.buffer = new PartBuffer(driver.blocks());
        this.existed = head.isPresent();
        this.committedSize = head.map(HeadObjectResponse::contentLength).orElse(0L);
        this.size = committedSize;
        this.preloadPending = committedSize > 0 && committedSize < S3DriverSettings.MIN_CHUNK_SIZE;
        this.etag = head.map(HeadObjectResponse::eTag).orElse(null);
    }

    private S3AppendWriter(S3Driver driver, String path, PendingFiles.Committed opened) {
        PendingState state = opened.state();
        this.driver = driver;
        this.path = path;
        this.key = driver.keys().file(path);
        this.partSize = driver.settings().chunkSizeBytes();
        this.buffer = new PartBuffer(driver.blocks());
        this.existed = true;
        this.committedSize = state.size();
        this.size = committedSize;
        this.committed = state;
        this.tailPending = state.tailSize() > 0;
        this.uploadId = state.uploadId();
        this.parts.addAll(state.parts());
        this.etag = opened.etag();
    }

    static S3AppendWriter open(S3Driver driver, String path) throws IOException {
        Optional<HeadObjectResponse> head = head(driver, path);
        if (head.isPresent() && PendingFiles.pendingSize(head.get().metadata()).isPresent()) {
            Optional<PendingFiles.Committed> state = driver.pending().read(path);
            if (state.isPresent()) return new S3AppendWriter(driver, path, state.get());
            head = head(driver, path); // completed by a reader meanwhile
        }
        return new S3AppendWriter(driver, path, head);
    }

    private static Optional<HeadObjectResponse> head(S3Driver driver, String path) {
        try {
            return Optional.of(driver.client().headObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().file(path))));
        } catch (SdkException e) {
            if (!S3Errors.isNotFound(e)) throw e;
            return Optional.empty();
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void write(ByteBuffer source) throws IOException {
        ensureOpen();
        S3Errors.call("append", path, () -> lostRaceIsConflict(() -> {
            preload();
            while (source.hasRemaining()) {
                if (buffer.size() == partSize) flushPart();
                int n = Math.min(source.remaining(), partSize - buffer.size());
                buffer.write(source, n);
                size += n;
            }
            return null;
        }));
    }

    @Override
    public void commit() throws IOException {
        ensureOpen();
        S3Errors.call("commit", path, () -> {
            try {
                lostRaceIsConflict(() -> {
                    if (uploadId == null) {
                        commitWithoutUpload();
                    } else if (size != committedSize || committed == null) {
                        commitPending();
                    }
                    return null;
                });
            } finally {
                close();
            }
            return null;
        });
    }

    /**
     * Runs {@code call}, where a store's answer that something this writer opened has changed
     * ({@link ConditionalWrites#lostRace}) means another writer moved the file on.
     */
    private <T> T lostRaceIsConflict(S3Errors.Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (WriteConflictException e) {
            lost = true;
            throw e;
        } catch (SdkException e) {
            if (!ConditionalWrites.lostRace(e)) throw e;
            lost = true;
            throw ConditionalWrites.conflict(path, e);
        }
    }

    /**
     * After losing with an upload of its own, this writer may have replaced the winner's writer
     * state (both started an upload): it is written again from the winner's committed state, so
     * deleting the directory still aborts the winner's upload. Only on this rare path.
     */
    private void restoreWinnersState() {
        try {
            Optional<PendingFiles.Committed> winner = driver.pending().read(path);
            if (winner.isPresent()) {
                writeState(winner.get().state().uploadId());
            } else {
                deleteState();
            }
        } catch (IOException | SdkException e) {
            // An orphaned upload is the bucket lifecycle's to expire; the client is told it lost.
        }
    }

    /**
     * Keeps the upload open: a buffer of a valid part size goes out as a part, a shorter rest
     * becomes the next tail, then the placeholder commits both (see {@link PendingFiles}).
     */
    private void commitPending() throws IOException {
        preloadTailIfNeeded();
        if (buffer.size() >= S3DriverSettings.MIN_CHUNK_SIZE) flushPart();
        long generation = committed == null ? 1 : committed.tailGeneration() + 1;
        int tail = buffer.size();
        // A key of its own: a writer that loses this commit never overwrites the winner's tail.
        String tailId = tail > 0 ? generation + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) : null;
        if (tail > 0) driver.client().putObject(driver.put(driver.keys().tail(path, tailId)), buffer.body());
        PendingState state = new PendingState(uploadId, parts, generation, tail, size, tailId);
        try {
            driver.pending().write(path, state, etag);
        } catch (WriteConflictException e) {
            // A PUT the store applied but whose answer was lost is retried by the SDK and then
            // fails its own condition: only a placeholder holding another state means a loss.
            if (!driver.pending().read(path).map(c -> c.state().equals(state)).orElse(false)) {
                if (tail > 0) driver.pending().deleteTail(path, tailId);
                throw e;
            }
        }
        ownUpload = false; // committed: closing must not abort it any more
        if (committed != null && committed.tailSize() > 0) driver.pending().deleteTail(path, committed.tailName());
        committed = state;
    }

    private void commitWithoutUpload() throws IOException {
        if (size == committedSize) {
            // Nothing new: a file that did not exist is created empty, as append promises.
            if (!existed) driver.conditional().put(path, driver.put(key), null, RequestBody.empty());
            return;
        }
        if (!preloadPending && committedSize < S3DriverSettings.MIN_CHUNK_SIZE) {
            // The buffer holds the whole file: one PUT replaces it, if nobody else did first.
            driver.conditional().put(path, driver.put(key), etag, buffer.body());
            return;
        }
        // A large completed file: its bytes become the first parts (server-side copy) of an upload
        // that stays open, so the next append does not copy them again.
        startUpload();
        commitPending();
    }

    @Override
    public void cancel() throws IOException {
        if (closed) return;
        S3Errors.call("cancel", path, () -> {
            try {
                if (uploadId != null) {
                    driver.multipart().abortQuietly(key, uploadId);
                    if (committed != null) driver.pending().removeLeftovers(path, committed);
                    else deleteState();
                    uploadId = null;
                }
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
        buffer.release();
        if (uploadId != null && ownUpload) {
            driver.multipart().abortQuietly(key, uploadId);
            try {
                if (lost) restoreWinnersState();
                else deleteState();
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
        if (committed != null && !pendingChecked) {
            pendingChecked = true;
            checkStillPending();
        }
        preloadTailIfNeeded();
        if (!preloadPending) return;
        try (ResponseInputStream<GetObjectResponse> old = driver.client().getObject(b -> b.bucket(driver.settings().bucket()).key(key)
                .ifMatch(etag))) { // 412 if another writer committed since this one opened
            long length = old.response().contentLength();
            if (length != committedSize) {
                throw new WriteConflictException("s3: " + path + " changed while a writer was open (" + length
                        + " bytes, expected " + committedSize + ")");
            }
            buffer.readFully(old, length);
        }
        preloadPending = false;
    }

    /**
     * A reader (here or on another node, such as the registry rehashing an upload) may have
     * completed the upload since this writer opened: then the file is a plain object again and
     * this writer continues it as one.
     */
    private void checkStillPending() throws IOException {
        HeadObjectResponse head = head(driver, path)
                .orElseThrow(() -> new WriteConflictException("s3: " + path + " was removed while a writer was open"));
        if (PendingFiles.pendingSize(head.metadata()).isPresent()) {
            // Another writer committed since this one opened: it would lose its commit; fail now.
            if (!Objects.equals(head.eTag(), etag)) throw new WriteConflictException("s3: " + path + " was committed by another writer");
            return;
        }
        if (head.contentLength() != committedSize) {
            throw new WriteConflictException("s3: " + path + " changed while a writer was open (" + head.contentLength()
                    + " bytes, expected " + committedSize + ")");
        }
        etag = head.eTag(); // completed by a reader: the same bytes, now a plain object
        committed = null;
        tailPending = false;
        uploadId = null;
        ownUpload = false;
        parts.clear();
        preloadPending = committedSize > 0 && committedSize < S3DriverSettings.MIN_CHUNK_SIZE;
    }

    /** Reads the committed tail of a pending file into the buffer, ahead of the new bytes (under 5 MiB). */
    private void preloadTailIfNeeded() throws IOException {
        if (!tailPending) return;
        try (ResponseInputStream<GetObjectResponse> tail = driver.client().getObject(b -> b.bucket(driver.settings().bucket())
                .key(driver.keys().tail(path, committed.tailName())))) {
            long length = tail.response().contentLength();
            if (length != committed.tailSize()) {
                throw new IllegalStateException("s3: the tail of " + path + " has " + length + " bytes, its state says "
                        + committed.tailSize());
            }
            buffer.readFully(tail, length);
        }
        tailPending = false;
    }

    /** Sends the buffer as the next part, starting the upload (and copying what was committed) first if needed. */
    private void flushPart() throws IOException {
        if (uploadId == null) startUpload();
        if (parts.size() + 1 >= MultipartUploads.TAIL_PART) { // the last number is the tail's (S3: 10,000 parts)
            throw new IOException("s3: " + path + " would need more than " + (MultipartUploads.TAIL_PART - 1)
                    + " parts of chunksize " + partSize + " bytes; a larger chunksize allows larger files");
        }
        parts.add(driver.multipart().upload(key, uploadId, parts.size() + 1, buffer.body(), buffer.size()));
        buffer.clear();
    }

    /** Starts the upload, with a large committed file copied server side as its first parts. */
    private void startUpload() {
        uploadId = driver.multipart().start(key);
        ownUpload = true;
        writeState(uploadId);
        if (!preloadPending && committedSize >= S3DriverSettings.MIN_CHUNK_SIZE) {
            parts.addAll(driver.multipart().copy(key, committedSize, key, uploadId, 1, etag));
        }
    }

    private void writeState(String upload) {
        driver.client().putObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().writerState(path)),
                RequestBody.fromBytes(new WriterState(upload, null).toJson()));
    }

    private void deleteState() {
        driver.client().deleteObject(b -> b.bucket(driver.settings().bucket()).key(driver.keys().writerState(path)));
    }
}
