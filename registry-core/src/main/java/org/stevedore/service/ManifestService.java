package org.stevedore.service;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.stevedore.error.ErrorCode;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.MediaType;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.storage.SmallFile;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Manifests: validate and store on push, resolve tags and serve on pull. Manifest bytes live in
 * the blob store like any content (as in the reference registry) and are linked into the
 * repository under {@code _manifests/revisions}; a tag is a link to a revision.
 */
public final class ManifestService {
    /** Layers a registry never holds (their {@code urls} point elsewhere); not required on push. */
    private static final Set<String> FOREIGN_LAYER_TYPES = Set.of(
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

    private final StorageDriver driver;
    private final BlobService blobs;
    private final int maxManifestBytes;
    private final ManifestCache cache;
    private final ReferrersService referrers;
    private final ManifestGuard guard;

    ManifestService(StorageDriver driver, BlobService blobs, ReferrersService referrers, int maxManifestBytes,
                    ManifestGuard guard) {
        this.driver = driver;
        this.guard = guard;
        this.blobs = blobs;
        this.referrers = referrers;
        this.maxManifestBytes = maxManifestBytes;
        this.cache = new ManifestCache(64L * 1024 * 1024);
    }

    public int maxManifestBytes() {
        return maxManifestBytes;
    }

    /**
     * Validates and stores a manifest under a tag or digest reference.
     *
     * @return the parsed manifest (its digest and subject are what the client is told)
     */
    public Manifest put(RepositoryName name, Reference reference, byte[] bytes, Optional<MediaType> contentType)
            throws IOException {
        return store(name, reference, bytes, contentType, true);
    }

    /**
     * Stores a manifest whose blobs and child manifests may not be here yet, as a pull-through
     * cache does with what its upstream serves (they are fetched when a client asks for them).
     * Otherwise as {@link #put}.
     */
    public Manifest putFromUpstream(RepositoryName name, Reference reference, byte[] bytes,
                                    Optional<MediaType> contentType) throws IOException {
        return store(name, reference, bytes, contentType, false);
    }

    private Manifest store(RepositoryName name, Reference reference, byte[] bytes, Optional<MediaType> contentType,
                           boolean requireContent) throws IOException {
        if (bytes.length > maxManifestBytes) {
            throw ErrorCode.SIZE_TOO_LARGE.withDetail("manifest larger than " + maxManifestBytes + " bytes");
        }
        Digest digest = reference instanceof Digest given ? digestOf(bytes, given) : ManifestParser.sha256(bytes);
        if (reference instanceof Digest given && !given.equals(digest)) {
            throw ErrorCode.DIGEST_INVALID.withDetail("manifest digest is " + digest + ", not " + given);
        }
        Manifest manifest = ManifestParser.parse(bytes, contentType, digest);
        ManifestGuard.Admission admission = guard.admitManifest(name, manifest);
        try {
            write(name, reference, bytes, digest, manifest, requireContent);
        } catch (IOException | RuntimeException | Error e) {
            admission.abandoned();
            throw e;
        }
        admission.stored();
        return manifest;
    }

    private void write(RepositoryName name, Reference reference, byte[] bytes, Digest digest, Manifest manifest,
                       boolean requireContent) throws IOException {
        if (reference instanceof Tag tag && guard.guards(name, tag)) {
            guard.beforeTag(name, tag, RepositoryContents.current(driver, name, tag), digest);
        }

        // The files of the push, written in one ordered write: readers see them in this order,
        // and the store overlaps their syncs. Before them, the checks.
        List<SmallFile> files = new ArrayList<>(6);
        boolean newRepository = blobs.presence().enabled()
                ? checkSideBySide(name, digest, bytes, manifest, requireContent)
                : checkInOrder(name, digest, bytes, manifest, requireContent, files);
        // The referrers index entry comes before the revision, so a manifest visible in the
        // repository is always listed as a referrer too.
        referrers.entry(name, manifest).ifPresent(files::add);
        if (newRepository) {
            // A new repository's referrers index is complete from the start. The marker also keeps
            // the repository known to the tag list once every tag is deleted (see TagService).
            files.add(new SmallFile(StorageLayout.referrersBuiltMarker(name), new byte[0]));
        }
        files.add(Links.file(StorageLayout.revisionLink(name, digest), digest));
        if (reference instanceof Tag tag) {
            // The current link first: it makes the tag listed and resolvable at once, so a failure
            // before it leaves no tag, and one after it only a missing history entry.
            files.add(Links.file(StorageLayout.tagCurrentLink(name, tag), digest));
            files.add(Links.file(StorageLayout.tagIndexLink(name, tag, digest), digest));
        }
        // Under the lock of the manifest's bytes, which may be among the files: written there,
        // they record this use, and this node's garbage collection waits.
        blobs.locks().shared(digest, () -> {
            driver.writeSmallInOrder(files);
            return null;
        });
        blobs.presence().hasManifests(name, true);
        cache.put(new StoredManifest(digest, manifest.mediaType(), bytes));
    }

    /** @throws org.stevedore.error.RegistryException {@code MANIFEST_UNKNOWN} */
    public StoredManifest get(RepositoryName name, Reference reference) throws IOException {
        Digest digest = resolve(name, reference);
        if (driver.statFile(StorageLayout.revisionLink(name, digest)).isEmpty()) throw unknown(reference);
        Optional<StoredManifest> cached = cache.find(digest);
        if (cached.isPresent()) return cached.get();
        byte[] bytes;
        try {
            bytes = driver.readSmall(StorageLayout.blobData(digest), maxManifestBytes);
        } catch (NoSuchFileException e) {
            throw unknown(reference);
        }
        StoredManifest manifest = new StoredManifest(digest, ManifestParser.detectMediaType(bytes), bytes);
        cache.put(manifest);
        return manifest;
    }

    /**
     * Deletes a manifest or a tag (distribution spec 1.1, "Deleting tags" and "Deleting
     * manifests"). A tag: only that tag goes, the manifest and other tags stay. A digest: the
     * manifest leaves the repository with every tag pointing at it and its referrers index entry;
     * its bytes stay in the blob store until garbage collection, as in the reference registry.
     *
     * @throws org.stevedore.error.RegistryException {@code MANIFEST_UNKNOWN} when not in the repository
     */
    public void delete(RepositoryName name, Reference reference) throws IOException {
        if (reference instanceof Tag tag) {
            Digest current = resolve(name, tag);
            if (guard.guards(name, tag)) guard.beforeUntag(name, tag, current);
            driver.delete(StorageLayout.tagDirectory(name, tag));
            return;
        }
        Digest digest = (Digest) reference;
        if (driver.statFile(StorageLayout.revisionLink(name, digest)).isEmpty()) throw unknown(reference);
        List<Tag> tags = RepositoryContents.tagsPointingAt(driver, name, digest);
        for (Tag tag : tags) {
            if (guard.guards(name, tag)) guard.beforeUntag(name, tag, digest);
        }
        for (Tag tag : tags) {
            driver.delete(StorageLayout.tagDirectory(name, tag));
        }
        try {
            byte[] bytes = driver.readSmall(StorageLayout.blobData(digest), maxManifestBytes);
            referrers.forget(name, ManifestParser.parse(bytes, Optional.empty(), digest));
        } catch (NoSuchFileException | RuntimeException unreadable) {
            // Bytes gone or unparseable: it cannot be listed as a referrer, there is nothing to forget.
        }
        driver.delete(StorageLayout.revisionDirectory(name, digest));
        guard.afterManifestDelete(name, digest);
    }

    /** The digest a reference names in {@code name}; a tag is looked up. */
    public Digest resolve(RepositoryName name, Reference reference) throws IOException {
        if (reference instanceof Digest digest) return digest;
        Tag tag = (Tag) reference;
        return Links.read(driver, StorageLayout.tagCurrentLink(name, tag)).orElseThrow(() -> unknown(reference));
    }

    /**
     * For a store where each call is a network round trip: the checks of every referenced blob,
     * the write of the manifest's own bytes and whether the repository is new, side by side. If a
     * check fails the bytes stay unlinked, as after any failed push, for garbage collection.
     *
     * @return whether the repository is new
     */
    private boolean checkSideBySide(RepositoryName name, Digest digest, byte[] bytes, Manifest manifest,
                                    boolean requireContent) throws IOException {
        List<BlobLocks.Work<?>> work = new ArrayList<>();
        if (requireContent) work.addAll(referencedContentChecks(name, manifest));
        work.add(() -> blobs.locks().shared(digest, () -> {
            // Content-addressed bytes: one PUT of the same bytes replaces them atomically and,
            // fresher than any lastused marker, records the use; cheaper than asking first.
            // Not even that when this node wrote them (or their use) moments ago.
            if (blobs.presence().useRecorded(digest)) return null;
            driver.writeSmall(StorageLayout.blobData(digest), bytes);
            blobs.presence().touched(digest);
            return null;
        }));
        work.add(() -> {
            blobs.catalog().add(name); // before the revision link: see CatalogIndex
            return null;
        });
        boolean[] newRepository = {false};
        work.add(() -> {
            if (blobs.presence().hasManifests(name)) return null;
            newRepository[0] = driver.stat(StorageLayout.manifestsDirectory(name)).isEmpty();
            return null;
        });
        Parallel.run(work);
        return newRepository[0];
    }

    /**
     * For a store on a local disk, where a check takes microseconds and handing it to another
     * thread takes longer: the checks one after another on this thread. The manifest's bytes,
     * when not stored yet, go first into {@code files}, so that their sync overlaps the links'.
     *
     * @return whether the repository is new
     */
    private boolean checkInOrder(RepositoryName name, Digest digest, byte[] bytes, Manifest manifest,
                                 boolean requireContent, List<SmallFile> files) throws IOException {
        if (requireContent) {
            for (BlobLocks.Work<?> check : referencedContentChecks(name, manifest)) check.run();
        }
        // Stored bytes get a use recorded; missing ones are written, which records it (no marker
        // first: it would make their directories outside the ordered write, unsynced).
        if (blobs.findStored(digest).isEmpty() || !blobs.useIfStored(digest)) {
            files.add(new SmallFile(StorageLayout.blobData(digest), bytes));
        }
        blobs.catalog().add(name); // before the revision link: see CatalogIndex
        return driver.stat(StorageLayout.manifestsDirectory(name)).isEmpty();
    }

    /** One check per referenced blob and child manifest: linked here, and stored (recording a use). */
    private List<BlobLocks.Work<?>> referencedContentChecks(RepositoryName name, Manifest manifest) {
        List<BlobLocks.Work<?>> checks = new ArrayList<>();
        for (Descriptor blob : manifest.blobReferences()) {
            if (FOREIGN_LAYER_TYPES.contains(blob.mediaType().value())) continue;
            checks.add(() -> {
                if (!blobs.isLinked(name, blob.digest()) || !blobs.useIfStored(blob.digest())) {
                    throw ErrorCode.MANIFEST_BLOB_UNKNOWN.withDetail("blob " + blob.digest() + " is not in " + name);
                }
                return null;
            });
        }
        for (Descriptor child : manifest.manifests()) {
            checks.add(() -> {
                if (driver.statFile(StorageLayout.revisionLink(name, child.digest())).isEmpty()
                        || !blobs.useIfStored(child.digest())) {
                    throw ErrorCode.MANIFEST_BLOB_UNKNOWN.withDetail("manifest " + child.digest() + " is not in " + name);
                }
                return null;
            });
        }
        return checks;
    }

    private static Digest digestOf(byte[] bytes, Digest given) {
        if (given.algorithm().equals("sha256")) return ManifestParser.sha256(bytes);
        try {
            MessageDigest md = MessageDigest.getInstance(given.javaAlgorithm());
            return new Digest(given.algorithm(), HexFormat.of().formatHex(md.digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RuntimeException unknown(Reference reference) {
        return ErrorCode.MANIFEST_UNKNOWN.withDetail(reference.toString());
    }
}
