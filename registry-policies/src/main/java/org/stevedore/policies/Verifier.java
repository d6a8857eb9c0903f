package org.stevedore.policies;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.RegistryService;
import org.stevedore.service.RepositoryContents;
import org.stevedore.storage.Content;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * The integrity check behind {@code stevedore verify}: re-hashes every blob in the store, then
 * checks every repository's manifests (bytes present and parseable, every referenced blob stored
 * and linked, every child manifest present) and tags (pointing at a manifest the repository
 * holds). Reads only; streams blobs, never holds one in memory.
 */
public final class Verifier {
    /** Layers a registry never holds (their {@code urls} point elsewhere). */
    private static final Set<String> FOREIGN_LAYERS = Set.of(
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd");

    /** What is wrong. */
    public enum Kind {
        CORRUPT_BLOB, MISSING_BLOB, MISSING_LINK, MISSING_MANIFEST, UNREADABLE_MANIFEST, MISSING_CHILD, DANGLING_TAG;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One finding; {@code repository} is empty for the blob store itself. */
    public record Finding(Kind kind, Optional<RepositoryName> repository, String subject, String detail) {
        public String line() {
            return kind.word() + " " + repository.map(r -> r + " ").orElse("") + subject + ": " + detail;
        }
    }

    /** What a run looked at, and what it found. */
    public record Report(int blobs, int repositories, int manifests, int tags, List<Finding> findings) {
        public Report {
            findings = List.copyOf(findings);
        }

        public String summary() {
            return blobs + " blobs, " + repositories + " repositories, " + manifests + " manifests, " + tags
                    + " tags checked; " + findings.size() + " problems";
        }
    }

    private final RegistryService service;
    private final StorageDriver driver;

    public Verifier(RegistryService service) {
        this.service = service;
        this.driver = service.storage();
    }

    /** Checks everything; each finding is also told to {@code progress} as it is found. */
    public Report run(Consumer<Finding> progress) throws IOException {
        List<Finding> findings = new ArrayList<>();
        Consumer<Finding> found = finding -> {
            findings.add(finding);
            progress.accept(finding);
        };
        int blobs = checkBlobs(found);
        int manifests = 0;
        int tags = 0;
        List<RepositoryName> repositories = RepositoryContents.repositories(driver);
        for (RepositoryName name : repositories) {
            List<Digest> revisions = RepositoryContents.revisions(driver, name);
            manifests += revisions.size();
            for (Digest digest : revisions) checkManifest(name, digest, found);
            for (Tag tag : RepositoryContents.tags(driver, name)) {
                tags++;
                Optional<Digest> current = readTag(name, tag);
                if (current.isEmpty()) {
                    found.accept(new Finding(Kind.DANGLING_TAG, Optional.of(name), "tag " + tag, "its link is missing or unreadable"));
                } else if (!revisions.contains(current.get())) {
                    found.accept(new Finding(Kind.DANGLING_TAG, Optional.of(name), "tag " + tag,
                            "points at " + current.get() + ", which the repository does not hold"));
                }
            }
        }
        return new Report(blobs, repositories.size(), manifests, tags, findings);
    }

    private Optional<Digest> readTag(RepositoryName name, Tag tag) throws IOException {
        try {
            return RepositoryContents.current(driver, name, tag);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private int checkBlobs(Consumer<Finding> found) throws IOException {
        int count = 0;
        for (String algorithm : driver.list(StorageLayout.BLOBS)) {
            String alg = StorageLayout.fileName(algorithm);
            for (String prefix : driver.list(algorithm)) {
                for (String directory : driver.list(prefix)) {
                    Digest digest;
                    try {
                        digest = new Digest(alg, StorageLayout.fileName(directory));
                    } catch (RuntimeException notADigest) {
                        continue;
                    }
                    if (driver.statFile(StorageLayout.blobData(digest)).isEmpty()) continue; // being deleted
                    count++;
                    Optional<Digest> actual = rehash(digest);
                    if (actual.isPresent() && !actual.get().equals(digest)) {
                        found.accept(new Finding(Kind.CORRUPT_BLOB, Optional.empty(), digest.toString(),
                                "its bytes hash to " + actual.get()));
                    }
                }
            }
        }
        return count;
    }

    /** The digest of the stored bytes, by the blob's own algorithm; empty when they vanished meanwhile. */
    private Optional<Digest> rehash(Digest digest) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(digest.javaAlgorithm());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (Content content = driver.open(StorageLayout.blobData(digest), 0);
             InputStream in = new DigestInputStream(content.asStream(), md)) {
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // hashing as it reads
            }
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        return Optional.of(new Digest(digest.algorithm(), HexFormat.of().formatHex(md.digest())));
    }

    private void checkManifest(RepositoryName name, Digest digest, Consumer<Finding> found) throws IOException {
        byte[] bytes;
        try {
            bytes = driver.readSmall(StorageLayout.blobData(digest), service.manifests().maxManifestBytes());
        } catch (NoSuchFileException e) {
            found.accept(new Finding(Kind.MISSING_MANIFEST, Optional.of(name), "manifest " + digest,
                    "linked, but its bytes are not in the blob store"));
            return;
        }
        Manifest manifest;
        try {
            manifest = ManifestParser.parse(bytes, Optional.empty(), digest);
        } catch (RuntimeException e) {
            found.accept(new Finding(Kind.UNREADABLE_MANIFEST, Optional.of(name), "manifest " + digest, e.getMessage()));
            return;
        }
        for (Descriptor blob : manifest.blobReferences()) {
            if (FOREIGN_LAYERS.contains(blob.mediaType().value())) continue;
            if (driver.statFile(StorageLayout.blobData(blob.digest())).isEmpty()) {
                found.accept(new Finding(Kind.MISSING_BLOB, Optional.of(name), "blob " + blob.digest(),
                        "referenced by manifest " + digest + ", not in the blob store"));
            } else if (driver.statFile(StorageLayout.layerLink(name, blob.digest())).isEmpty()) {
                found.accept(new Finding(Kind.MISSING_LINK, Optional.of(name), "blob " + blob.digest(),
                        "referenced by manifest " + digest + ", not linked into the repository"));
            }
        }
        for (Descriptor child : manifest.manifests()) {
            if (driver.statFile(StorageLayout.revisionLink(name, child.digest())).isEmpty()) {
                found.accept(new Finding(Kind.MISSING_CHILD, Optional.of(name), "manifest " + child.digest(),
                        "listed by index " + digest + ", not in the repository"));
            }
        }
    }
}
