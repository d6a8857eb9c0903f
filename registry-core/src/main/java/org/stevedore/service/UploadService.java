package org.stevedore.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.AppendWriter;
import org.stevedore.storage.Content;
import org.stevedore.storage.ContentLostException;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.WriteConflictException;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Upload sessions: start, append chunks, report progress, complete with digest verification,
 * cancel. Everything a session needs lives in storage ({@code _uploads/<id>}), so any node
 * sharing the store can continue a session; memory holds only the running hash as a cache.
 *
 * <p>Publishing is verify-then-move: the bytes stay under {@code _uploads} until their digest
 * matches, then move to the blob store in one step and only then get linked into the repository.
 * A blob sent whole to a session without bytes skips the move: it is written at its place,
 * hidden until verified ({@link HiddenBlobUpload}).
 * A crash at any point leaves at worst a stale session for purging, never a visible bad blob.
 */
public final class UploadService {
    private static final int LOCK_STRIPES = 64;

    private final StorageDriver driver;
    private final BlobService blobs;
    private final HashStates hashStates = new HashStates();
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    private final UploadLimits limits;
    private final OpenUploads open;
    private final ManifestGuard guard;
    private final HiddenBlobUpload hidden;

    UploadService(StorageDriver driver, BlobService blobs, UploadLimits limits, ManifestGuard guard) {
        this.driver = driver;
        this.guard = guard;
        this.blobs = blobs;
        this.hidden = new HiddenBlobUpload(driver, blobs);
        this.limits = limits;
        this.open = new OpenUploads(driver, limits, java.time.Clock.systemUTC());
        for (int i = 0; i < LOCK_STRIPES; i++) locks[i] = new ReentrantLock();
    }

    /**
     * Opens a new, empty session.
     *
     * <p>Its records (the {@code startedat} file and the marker counted by {@link OpenUploads}) are
     * written {@linkplain StorageDriver#writeSmallUnsynced without syncs}: on a filesystem that
     * saves two staged directory trees and about six syncs per session, the cost of which a client
     * pushing layers one after another (skopeo, docker) paid on every layer. Why that loses nothing
     * acknowledged: a process killed at any point leaves them as a synced write would (the page
     * cache outlives the process). A crash of the machine may lose them, but
     * <ul>
     *   <li>until a chunk is committed, the session holds no byte a client was told is stored: a
     *       client whose session vanished gets {@code BLOB_UPLOAD_UNKNOWN}, as for an expired one,
     *       and starts again, which the distribution spec allows for any session;
     *   <li>the first commit of data makes the data file durable together with the names of the
     *       directories leading to it (the store's {@link org.stevedore.storage.AppendWriter#commit}),
     *       and from then on the data identifies the session even if {@code startedat} was lost
     *       ({@link #requireSession}); the purger then counts the session's age from its directory,
     *       as it does for any session without a readable {@code startedat};
     *   <li>a lost marker only leaves the session uncounted by the bound on open sessions until
     *       it ends; an orphaned one is removed by purging.
     * </ul>
     * A monolithic upload ({@link #uploadWhole}) never acknowledges its session at all: it is
     * published or removed within the request.
     *
     * @throws org.stevedore.error.RegistryException {@code TOOMANYREQUESTS} when the nodes sharing
     *         the store have {@link UploadLimits#maxSessions()} sessions open
     */
    public UploadSession start(RepositoryName name) throws IOException {
        guard.beforeUpload(name, 0, Optional.empty());
        String id = UUID.randomUUID().toString();
        open.open(name, id);
        try {
            driver.writeSmallUnsynced(StorageLayout.uploadStartedAt(name, id),
                    Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            try {
                open.close(id);
            } catch (IOException | RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        return new UploadSession(name, id, 0);
    }

    /** Stops counting a session deleted behind this service's back (by upload purging). */
    void forget(String id) throws IOException {
        hashStates.forget(id);
        open.close(id);
    }

    /** How many sessions count as open across the nodes sharing the store, for the bound on them. */
    public int openSessions() throws IOException {
        return open.size();
    }

    /** @throws org.stevedore.error.RegistryException {@code BLOB_UPLOAD_UNKNOWN} */
    public UploadSession status(RepositoryName name, String id) throws IOException {
        requireSession(name, id);
        return new UploadSession(name, id, storedSize(name, id));
    }

    /**
     * Appends a chunk. With {@code start} (from {@code Content-Range}) the chunk must begin exactly
     * at the current offset, else {@code RANGE_INVALID}; with {@code length} the body must have
     * exactly that many bytes, else {@code SIZE_INVALID}. On any failure the session keeps the
     * offset it had.
     */
    public UploadSession append(RepositoryName name, String id, ReadableByteChannel body, OptionalLong start,
                                OptionalLong length) throws IOException {
        guard.beforeUpload(name, start.orElse(0) + length.orElse(0), Optional.empty());
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            requireSession(name, id);
            return new UploadSession(name, id, write(name, id, start, body, length));
        } catch (WriteConflictException | ContentLostException e) {
            throw concurrentWriter(name, id, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * What a client is told when another request for the same session, through another node,
     * changed the session's data while this one wrote or read it (a client bug, or a retry sent
     * through a load balancer while the first attempt was still running): the store committed
     * exactly one of them ({@link WriteConflictException}), or a writer that lost had already
     * overwritten part of the winner's data ({@link ContentLostException}).
     *
     * <p>A lost commit is 416 {@code RANGE_INVALID}, the answer a chunk that no longer starts at the
     * session's offset gets (OCI's status for out-of-order chunks; a retry of the same chunk would
     * get it too, so 503 would only delay it): the client asks for the status and resumes. Lost
     * data is 400 {@code BLOB_UPLOAD_INVALID} and ends the session: it cannot be completed any more.
     * Either way this node's running hash is dropped, so it never vouches for bytes it did not commit.
     */
    private RuntimeException concurrentWriter(RepositoryName name, String id, IOException e) throws IOException {
        hashStates.forget(id);
        if (e instanceof ContentLostException) {
            cancelLocked(name, id);
            return ErrorCode.BLOB_UPLOAD_INVALID.withDetail("the upload's data was overwritten by a concurrent"
                    + " request for the same upload; start the upload again");
        }
        return ErrorCode.RANGE_INVALID.withDetail("the upload moved on while this request was being stored: another"
                + " request for the same upload was committed first; GET the upload's status and resume from its offset");
    }

    /**
     * Completes the session: appends {@code body} if given, verifies the digest over everything
     * received, publishes the blob and links it into the repository. A digest mismatch ends the
     * session with {@code DIGEST_INVALID}; nothing becomes visible.
     */
    public BlobInfo complete(RepositoryName name, String id, Digest expected, Optional<ReadableByteChannel> body,
                             OptionalLong length) throws IOException {
        if (!expected.isVerifiable()) {
            throw ErrorCode.DIGEST_INVALID.withDetail("unsupported digest algorithm " + expected.algorithm());
        }
        guard.beforeUpload(name, length.orElse(0), Optional.of(expected));
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            requireSession(name, id);
            if (body.isPresent() && driver.statFile(StorageLayout.uploadData(name, id)).isEmpty()) {
                return uploadHidden(name, id, expected, body.get(), length);
            }
            // Through a writer even without a body: it knows the committed size, which after a
            // crash may be less than what the file shows (see StorageDriver#append).
            long size = write(name, id, OptionalLong.empty(), body.orElseGet(() -> Channels.newChannel(InputStream.nullInputStream())), length);
            Digest actual = digestOf(name, id, size, expected.algorithm());
            if (!actual.equals(expected)) {
                cancelLocked(name, id);
                throw ErrorCode.DIGEST_INVALID.withDetail("expected " + expected + " but the content is " + actual);
            }
            publish(name, id, expected, size);
            return new BlobInfo(expected, size);
        } catch (WriteConflictException | ContentLostException e) {
            throw concurrentWriter(name, id, e);
        } finally {
            lock.unlock();
        }
    }

    /** The whole blob to a session without bytes: written to its place, hidden until verified. */
    private BlobInfo uploadHidden(RepositoryName name, String id, Digest expected, ReadableByteChannel body,
                                  OptionalLong length) throws IOException {
        BlobInfo blob;
        try {
            blob = hidden.upload(name, id, expected, body, length);
        } catch (RegistryException e) {
            if (e.code() == ErrorCode.DIGEST_INVALID) cancelLocked(name, id); // as the staged path ends it
            throw e;
        }
        cancelLocked(name, id);
        return blob;
    }

    /**
     * A whole blob in one request ({@code POST ?digest=}): completes a session that lives only for
     * this call. The client never learns its id, so on any failure (digest mismatch, short or
     * broken body) the session is removed rather than left for purging.
     */
    public BlobInfo uploadWhole(RepositoryName name, Digest expected, ReadableByteChannel body, OptionalLong length)
            throws IOException {
        guard.beforeUpload(name, length.orElse(0), Optional.of(expected));
        UploadSession session = start(name);
        try {
            return complete(name, session.id(), expected, Optional.of(body), length);
        } catch (IOException | RuntimeException e) {
            ReentrantLock lock = lockFor(session.id());
            lock.lock();
            try {
                cancelLocked(name, session.id());
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /** Ends the session and removes its data. */
    public void cancel(RepositoryName name, String id) throws IOException {
        ReentrantLock lock = lockFor(id);
        lock.lock();
        try {
            requireSession(name, id);
            cancelLocked(name, id);
        } finally {
            lock.unlock();
        }
    }

    private void cancelLocked(RepositoryName name, String id) throws IOException {
        hashStates.forget(id);
        open.close(id);
        driver.delete(StorageLayout.uploadDirectory(name, id));
    }

    private void publish(RepositoryName name, String id, Digest digest, long size) throws IOException {
        String data = StorageLayout.uploadData(name, id);
        blobs.publish(name, digest, link -> {
            if (size == 0 && driver.statFile(data).isEmpty()) driver.writeSmall(data, new byte[0]);
            driver.moveThenWriteInOrder(data, StorageLayout.blobData(digest), link);
        });
        cancelLocked(name, id);
    }

    /**
     * Streams {@code body} to the session's data, hashing in the same pass; returns the new size.
     * The writer's size is the session's offset: the bytes committed so far, whatever a crash left
     * past them. A {@code start} other than that offset is {@code RANGE_INVALID}.
     */
    private long write(RepositoryName name, String id, OptionalLong start, ReadableByteChannel body,
                       OptionalLong length) throws IOException {
        long received;
        long offset;
        MessageDigest sha256;
        try (AppendWriter writer = driver.append(StorageLayout.uploadData(name, id))) {
            offset = writer.size();
            if (start.isPresent() && start.getAsLong() != offset) {
                throw ErrorCode.RANGE_INVALID.withDetail("chunk starts at " + start.getAsLong()
                        + " but the upload has " + offset + " bytes");
            }
            sha256 = hashStates.take(id, offset).orElse(null);
            if (sha256 == null) sha256 = rehash(name, id, offset, "SHA-256");
            received = HashingCopy.copy(body, sha256, writer::write);
            if (length.isPresent() && received != length.getAsLong()) {
                throw ErrorCode.SIZE_INVALID.withDetail("expected " + length.getAsLong() + " bytes, got " + received);
            }
            writer.commit();
        }
        hashStates.put(id, offset + received, sha256);
        return offset + received;
    }

    private Digest digestOf(RepositoryName name, String id, long size, String algorithm) throws IOException {
        MessageDigest digest;
        if (algorithm.equals("sha256")) {
            digest = hashStates.take(id, size).orElse(null);
            if (digest == null) digest = rehash(name, id, size, "SHA-256");
        } else {
            digest = rehash(name, id, size, new Digest(algorithm, "0".repeat(128)).javaAlgorithm());
        }
        return new Digest(algorithm, HexFormat.of().formatHex(digest.digest()));
    }

    /** Rebuilds a digest state from the first {@code size} stored bytes of the session. */
    private MessageDigest rehash(RepositoryName name, String id, long size, String javaAlgorithm) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(javaAlgorithm);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (size == 0) return digest;
        byte[] buffer = new byte[64 * 1024];
        try (Content content = driver.open(StorageLayout.uploadData(name, id), 0);
             InputStream in = content.asStream()) {
            long remaining = size;
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) throw new IOException("upload data shorter than its recorded size");
                digest.update(buffer, 0, n);
                remaining -= n;
            }
        }
        return digest;
    }

    /**
     * Fails with {@code BLOB_UPLOAD_UNKNOWN} unless the session exists and has received data (or
     * started) within the idle timeout; an idle session is deleted on the spot. The times come
     * from storage, so the timeout holds across restarts and nodes. A session exists while its
     * {@code startedat} does, or its committed data: a crash of the machine may lose a
     * {@code startedat} that {@link #start} wrote without a sync, not the data a client was told
     * is stored, whose time then stands in for the start.
     */
    private void requireSession(RepositoryName name, String id) throws IOException {
        Optional<FileInfo> started = driver.statFile(StorageLayout.uploadStartedAt(name, id));
        if (started.isEmpty()) started = driver.statFile(StorageLayout.uploadData(name, id));
        if (started.isEmpty()) throw ErrorCode.BLOB_UPLOAD_UNKNOWN.withDetail(id);
        Instant idleSince = Instant.now().minus(limits.idleTimeout());
        // A session started within the timeout is live whenever its data last changed: only an
        // older one needs the data's time (a stat, two round trips on S3 when there is no data yet).
        if (limits.expires() && started.get().modified().isBefore(idleSince)) {
            Instant touched = started.get().modified();
            Optional<FileInfo> data = driver.statFile(StorageLayout.uploadData(name, id));
            if (data.isPresent() && data.get().modified().isAfter(touched)) touched = data.get().modified();
            if (touched.isBefore(idleSince)) {
                cancelLocked(name, id);
                throw ErrorCode.BLOB_UPLOAD_UNKNOWN.withDetail(id + ": the upload session expired after "
                        + limits.idleTimeout().toSeconds() + " s without data");
            }
        }
    }

    private long storedSize(RepositoryName name, String id) throws IOException {
        return driver.statFile(StorageLayout.uploadData(name, id)).map(FileInfo::size).orElse(0L);
    }

    private ReentrantLock lockFor(String id) {
        return locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
    }
}
