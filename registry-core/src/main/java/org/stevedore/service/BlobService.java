package org.stevedore.service;

import java.io.IOException;
import java.io.EOFException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.stevedore.error.ErrorCode;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.Content;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.SmallFile;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Blobs as repositories see them. A blob is content-addressed and stored once; a repository sees
 * it only through a link in its {@code _layers} directory, as in the reference registry, so
 * pulling a digest through a repository that never received it is {@code BLOB_UNKNOWN}.
 */
public final class BlobService {
    private final StorageDriver driver;
    private final BlobLocks locks;
    private final PresenceCache presence;
    private final CatalogIndex catalog;

    BlobService(StorageDriver driver, BlobLocks locks, PresenceCache presence, CatalogIndex catalog) {
        this.catalog = catalog;
        this.driver = driver;
        this.locks = locks;
        this.presence = presence;
    }

    BlobLocks locks() {
        return locks;
    }

    PresenceCache presence() {
        return presence;
    }

    /**
     * The blob if it is linked into {@code name} and its bytes exist. What storage said is
     * remembered for the driver's {@link StorageDriver#presenceCacheTtl()} (see {@link PresenceCache}),
     * so repeated HEADs of a blob cost no round trip to a remote store.
     */
    public Optional<BlobInfo> find(RepositoryName name, Digest digest) throws IOException {
        if (!isLinked(name, digest)) return Optional.empty();
        OptionalLong size = presence.storedSize(digest);
        if (size.isPresent()) return Optional.of(new BlobInfo(digest, size.getAsLong()));
        Optional<BlobInfo> stored = findStored(digest);
        stored.ifPresent(blob -> presence.stored(digest, blob.size()));
        return stored;
    }

    /**
     * Opens the whole blob if it is linked into {@code name}, for a GET. On a remote store with
     * nothing remembered, the link is read while the bytes are opened, and the size comes from
     * the opened content: a cold GET waits for one round trip before its first byte, not three
     * one after the other (link, stat, open). The caller closes the content.
     */
    public Optional<Opened> openLinked(RepositoryName name, Digest digest) throws IOException {
        if (!presence.enabled() || presence.linked(name, digest)) {
            return isLinked(name, digest) ? openStored(digest) : Optional.empty();
        }
        AtomicBoolean linked = new AtomicBoolean();
        AtomicReference<Optional<Opened>> opened = new AtomicReference<>(Optional.empty());
        try {
            Parallel.run(List.of(() -> {
                linked.set(isLinked(name, digest));
                return null;
            }, () -> {
                opened.set(openStored(digest));
                return null;
            }));
        } catch (IOException | RuntimeException e) {
            closeQuietly(opened.get(), e);
            throw e;
        }
        if (linked.get()) return opened.get();
        closeQuietly(opened.get(), null);
        return Optional.empty();
    }

    /** The blob's bytes from the start, sized by the open itself: no stat first. */
    private Optional<Opened> openStored(Digest digest) throws IOException {
        Content content;
        try {
            content = driver.open(StorageLayout.blobData(digest), 0);
        } catch (NoSuchFileException e) {
            presence.forgetStored(digest);
            return Optional.empty();
        }
        presence.stored(digest, content.length());
        return Optional.of(new Opened(new BlobInfo(digest, content.length()), content));
    }

    /** A blob and its open bytes from the start; closing it closes the content. */
    public record Opened(BlobInfo blob, Content content) implements java.io.Closeable {
        @Override
        public void close() throws IOException {
            content.close();
        }
    }

    private static void closeQuietly(Optional<Opened> opened, Exception failure) {
        if (opened.isEmpty()) return;
        try {
            opened.get().close();
        } catch (IOException e) {
            if (failure != null) failure.addSuppressed(e); // else nothing was sent: nothing to report
        }
    }

    /**
     * Whether {@code name} links the blob, as storage said at most the cache's time-to-live ago.
     * The link is read, not stat'ed: one round trip to a remote store either way, where a stat of
     * a missing file also has to rule out a directory of that name.
     */
    boolean isLinked(RepositoryName name, Digest digest) throws IOException {
        if (presence.linked(name, digest)) return true;
        boolean linked = Links.read(driver, StorageLayout.layerLink(name, digest)).isPresent();
        presence.linked(name, digest, linked);
        return linked;
    }

    /** @throws org.stevedore.error.RegistryException {@code BLOB_UNKNOWN} */
    public BlobInfo require(RepositoryName name, Digest digest) throws IOException {
        return find(name, digest).orElseThrow(() -> ErrorCode.BLOB_UNKNOWN.withDetail(digest.toString()));
    }

    /** The blob's bytes exist in the store, whichever repositories link it. */
    public Optional<BlobInfo> findStored(Digest digest) throws IOException {
        Optional<FileInfo> data = driver.statFile(StorageLayout.blobData(digest));
        return data.filter(info -> !info.isDirectory()).map(info -> new BlobInfo(digest, info.size()));
    }

    /**
     * Opens the blob's bytes from {@code offset}; the caller closes the content.
     *
     * @throws org.stevedore.error.RegistryException {@code BLOB_UNKNOWN} if it vanished meanwhile
     */
    public Content open(BlobInfo blob, long offset) throws IOException {
        try {
            return driver.open(StorageLayout.blobData(blob.digest()), offset);
        } catch (NoSuchFileException | EOFException e) {
            presence.forgetStored(blob.digest()); // remembered, but gone since
            throw ErrorCode.BLOB_UNKNOWN.withDetail(blob.digest().toString());
        }
    }

    /**
     * A URL the client may fetch the blob from directly, when the storage offers one. Whether the
     * blob exists is the caller's to check: a store signs a URL for any path.
     */
    public Optional<URI> redirect(Digest digest) throws IOException {
        return driver.redirect(StorageLayout.blobData(digest));
    }

    /**
     * Unlinks a blob from {@code name} (distribution spec 1.1, "Deleting Blobs"); its bytes stay
     * in the blob store, shared with other repositories, until garbage collection.
     *
     * @throws org.stevedore.error.RegistryException {@code BLOB_UNKNOWN} when not linked there
     */
    public void delete(RepositoryName name, Digest digest) throws IOException {
        presence.linked(name, digest, false);
        if (driver.statFile(StorageLayout.layerLink(name, digest)).isEmpty()) {
            throw ErrorCode.BLOB_UNKNOWN.withDetail(digest.toString());
        }
        driver.delete(StorageLayout.layerDirectory(name, digest));
    }

    /** The catalog index, which a push adds its repository to before linking anything. */
    CatalogIndex catalog() {
        return catalog;
    }

    /**
     * Publishes an upload: puts its bytes into the blob store with {@code placement} unless the
     * blob exists, records the use, and links the blob into {@code name}; all under the blob's
     * shared lock, so online garbage collection cannot delete it in between (see
     * {@link GarbageCollector}). The placement writes the link itself, after the bytes, so that a
     * store can sync both together (the link still becomes visible after the bytes).
     *
     * <p>The use is recorded after the link, where it used to come between the move and the link.
     * That changes nothing for collection: bytes just placed carry the upload's own modification
     * time as their last use, and this node's collector waits for the lock.
     */
    void publish(RepositoryName name, Digest digest, Placement placement) throws IOException {
        locks.shared(digest, () -> {
            catalog.add(name); // before the repository's first link: see CatalogIndex
            List<SmallFile> link = List.of(Links.file(StorageLayout.layerLink(name, digest), digest));
            if (findStored(digest).isEmpty()) {
                placement.placeThenWrite(link);
                touch(digest);
            } else {
                writeUse(digest);
                if (findStored(digest).isEmpty()) { // set aside by a collector meanwhile: stored again
                    placement.placeThenWrite(link);
                } else {
                    driver.writeSmallInOrder(link);
                }
                presence.touched(digest);
            }
            presence.linked(name, digest, true);
            return null;
        });
    }

    /** How {@link #publish} stores an upload's bytes: at the blob's place, then {@code link}, durably, in that order. */
    @FunctionalInterface
    interface Placement {
        void placeThenWrite(List<SmallFile> link) throws IOException;
    }

    /**
     * Whether the blob's bytes exist, recording a use when they do, under the blob's shared lock:
     * once this answers {@code true}, garbage collection keeps the blob for at least its grace
     * period. The use is recorded before the bytes are checked; a collector on another node
     * re-checks the use after setting the bytes aside, so it sees this use or this check finds no
     * bytes. Callers first check that a link names the blob, so the marker of a digest that was
     * never stored is rare; the collector sweeps such strays.
     */
    boolean useIfStored(Digest digest) throws IOException {
        return locks.shared(digest, () -> {
            if (presence.useRecorded(digest)) return true; // written by this node moments ago
            writeUse(digest);
            if (findStored(digest).isEmpty()) return false;
            presence.touched(digest); // only for bytes seen: the cache answers true for them
            return true;
        });
    }

    /** Writes the blob's last-use marker for bytes known to exist; the caller holds the blob's shared lock. */
    void touch(Digest digest) throws IOException {
        writeUse(digest);
        presence.touched(digest);
    }

    /**
     * Writes the blob's last-use marker only: whether the bytes exist is still to be checked. A
     * touch, not a durable write: the marker guards the moments before an operation acknowledges;
     * after a crash those operations are gone, and what they acknowledged before it is durable in
     * its own links, which garbage collection marks from.
     */
    private void writeUse(Digest digest) throws IOException {
        driver.touch(StorageLayout.blobLastUsed(digest));
    }

    /**
     * Cross-repository mount: links a blob into {@code target} when {@code source} has it, or,
     * without a source, when the store has it at all.
     *
     * @return the mounted blob; empty when it cannot be mounted (the client then uploads)
     */
    public Optional<BlobInfo> mount(RepositoryName target, Digest digest, Optional<RepositoryName> source)
            throws IOException {
        if (source.isPresent() && driver.statFile(StorageLayout.layerLink(source.get(), digest)).isEmpty()) {
            return Optional.empty();
        }
        return locks.shared(digest, () -> {
            if (findStored(digest).isEmpty()) return Optional.empty(); // leaves no marker for unknown digests
            writeUse(digest);
            Optional<BlobInfo> blob = findStored(digest); // again: see useIfStored
            if (blob.isPresent()) {
                presence.touched(digest);
                catalog.add(target);
                Links.write(driver, StorageLayout.layerLink(target, digest), digest);
                presence.linked(target, digest, true);
            }
            return blob;
        });
    }
}
