package org.stevedore.policies;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.RegistryService;
import org.stevedore.service.RepositoryContents;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * What a repository uses: the bytes of the distinct blobs its manifests reference (config, layers,
 * and the manifests' own bytes), each counted once however many manifests or tags share it, as
 * the manifests declare their sizes. Blobs only uploaded, or only referenced by deleted
 * manifests, do not count; garbage collection removes them.
 */
public record RepositoryUsage(RepositoryName name, long bytes, int blobs, int tags, int manifests) {

    /** Reads {@code name}'s manifests from storage and adds up. */
    public static RepositoryUsage of(RegistryService service, RepositoryName name) throws IOException {
        List<Digest> revisions = RepositoryContents.revisions(service.storage(), name);
        Map<Digest, Long> sizes = referencedSizes(service.storage(), name, revisions,
                service.manifests().maxManifestBytes());
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        int tags = RepositoryContents.tags(service.storage(), name).size();
        return new RepositoryUsage(name, total, sizes.size(), tags, revisions.size());
    }

    /** The size of every distinct blob (manifests included) the repository's manifests reference, by digest. */
    public static Map<Digest, Long> referencedSizes(StorageDriver driver, RepositoryName name, int maxManifestBytes)
            throws IOException {
        return referencedSizes(driver, name, RepositoryContents.revisions(driver, name), maxManifestBytes);
    }

    private static Map<Digest, Long> referencedSizes(StorageDriver driver, RepositoryName name, List<Digest> revisions,
                                                     int maxManifestBytes) throws IOException {
        Map<Digest, Long> sizes = new HashMap<>();
        for (Digest digest : revisions) {
            byte[] bytes;
            try {
                bytes = driver.readSmall(StorageLayout.blobData(digest), maxManifestBytes);
            } catch (NoSuchFileException | RuntimeException gone) {
                continue; // its bytes lost or oversized (verify reports that)
            }
            sizes.put(digest, (long) bytes.length);
            Manifest manifest;
            try {
                manifest = ManifestParser.parse(bytes, Optional.empty(), digest);
            } catch (RuntimeException unparseable) {
                continue;
            }
            for (Descriptor blob : manifest.blobReferences()) sizes.putIfAbsent(blob.digest(), blob.size());
        }
        return sizes;
    }

    /** Every repository's usage, by name. */
    public static List<RepositoryUsage> all(RegistryService service) throws IOException {
        List<RepositoryName> names = new ArrayList<>(RepositoryContents.repositories(service.storage()));
        names.sort(Comparator.comparing(RepositoryName::value));
        List<RepositoryUsage> usage = new ArrayList<>();
        for (RepositoryName name : names) usage.add(of(service, name));
        return usage;
    }
}
