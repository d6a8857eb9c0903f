package org.stevedore.policies;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.RegistryService;
import org.stevedore.service.RepositoryContents;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * What retention decides from: a repository's tags and manifests as storage holds them, with the
 * times their links were written (a push writes them, a re-push rewrites them).
 *
 * @param tags      every tag with the digest it points at
 * @param manifests every manifest of the repository, by digest
 */
public record RepositorySnapshot(RepositoryName name, List<TagState> tags, Map<Digest, ManifestState> manifests) {
    public RepositorySnapshot {
        tags = List.copyOf(tags);
        manifests = Map.copyOf(manifests);
    }

    /**
     * A tag, where it points, when it was last pushed, and when it was last pulled as far as
     * {@link PullRecorder} wrote down (to within its interval; empty when never recorded).
     */
    public record TagState(Tag tag, Digest digest, Instant pushed, Optional<Instant> pulled) {
        public TagState {
            java.util.Objects.requireNonNull(pulled, "pulled");
        }

        /** A tag with no recorded pull. */
        public TagState(Tag tag, Digest digest, Instant pushed) {
            this(tag, digest, pushed, Optional.empty());
        }
    }

    /**
     * A manifest, when it was pushed, what it holds: an index's child manifests, the subject a
     * referrer (signature, SBOM) points at. A manifest whose bytes cannot be read has neither.
     */
    public record ManifestState(Digest digest, Instant pushed, List<Digest> children, Optional<Digest> subject) {
        public ManifestState {
            children = List.copyOf(children);
        }
    }

    /** Reads {@code name} from {@code service}'s storage. */
    public static RepositorySnapshot read(RegistryService service, RepositoryName name) throws IOException {
        StorageDriver driver = service.storage();
        List<TagState> tags = new ArrayList<>();
        java.util.Set<String> pulled = new java.util.HashSet<>();
        for (String file : driver.list(StorageLayout.pullsDirectory(name))) pulled.add(StorageLayout.fileName(file));
        for (Tag tag : RepositoryContents.tags(driver, name)) {
            Optional<Digest> digest = RepositoryContents.current(driver, name, tag);
            Optional<FileInfo> link = driver.statFile(StorageLayout.tagCurrentLink(name, tag));
            if (digest.isEmpty() || link.isEmpty()) continue; // going, or a stray directory
            // Only tags with a record cost a stat: one listing tells which have one.
            Optional<Instant> pull = pulled.contains(tag.value())
                    ? driver.statFile(StorageLayout.tagPulled(name, tag)).map(FileInfo::modified) : Optional.empty();
            tags.add(new TagState(tag, digest.get(), link.get().modified(), pull));
        }
        Map<Digest, ManifestState> manifests = new LinkedHashMap<>();
        for (Digest digest : RepositoryContents.revisions(driver, name)) {
            Optional<FileInfo> link = driver.statFile(StorageLayout.revisionLink(name, digest));
            if (link.isEmpty()) continue;
            manifests.put(digest, manifest(service, name, digest, link.get().modified()));
        }
        return new RepositorySnapshot(name, tags, manifests);
    }

    private static ManifestState manifest(RegistryService service, RepositoryName name, Digest digest, Instant pushed)
            throws IOException {
        try {
            byte[] bytes = service.manifests().get(name, digest).bytes();
            Manifest manifest = ManifestParser.parse(bytes, Optional.empty(), digest);
            return new ManifestState(digest, pushed, manifest.manifests().stream().map(Descriptor::digest).toList(),
                    manifest.subject().map(Descriptor::digest));
        } catch (NoSuchFileException | RuntimeException unreadable) {
            return new ManifestState(digest, pushed, List.of(), Optional.empty());
        }
    }
}
