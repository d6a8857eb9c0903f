package org.stevedore.service;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.storage.SmallFile;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * The referrers API (distribution spec 1.1, "Listing Referrers"): the manifests of a repository
 * whose {@code subject} is a given digest.
 *
 * <p>The index lives in storage, not in memory, so every node serving the same storage sees it:
 * one link file per referrer under {@code _manifests/referrers/<subject alg>/<subject hex>/}
 * (see {@link StorageLayout}). A manifest push writes its link before the push is acknowledged; a
 * manifest delete removes it. A request therefore reads one small directory, never the whole
 * repository.
 *
 * <p>Stores written before the index existed (by an older Stevedore or by distribution) are
 * indexed once per repository, lazily, on the first referrers request: every revision is read
 * once, the links of those with a subject are written, then a {@code _built} marker. Pushes
 * racing with that build write their own links anyway, so none is lost. Referrers listed only
 * under the spec's fallback tag schema (an index tagged {@code <alg>-<hex>}) are merged in on
 * each request; that costs one tag lookup.
 */
public final class ReferrersService {
    private static final Logger LOG = LoggerFactory.getLogger(ReferrersService.class);
    private static final int MAX_CACHED = 10_000;

    private final StorageDriver driver;
    private final int maxManifestBytes;
    private final int maxPageSize;
    private final Set<RepositoryName> built = ConcurrentHashMap.newKeySet();
    /** Descriptors of referrer manifests: content-addressed, so never stale. */
    private final Map<Digest, Descriptor> descriptors = new ConcurrentHashMap<>();

    ReferrersService(StorageDriver driver, int maxManifestBytes, int maxPageSize) {
        this.driver = driver;
        this.maxManifestBytes = maxManifestBytes;
        this.maxPageSize = maxPageSize;
    }

    /** A page of referrers, sorted by digest; {@code next} is the {@code last} for the next page. */
    public record ReferrersPage(List<Descriptor> manifests, Optional<String> next) {
        public ReferrersPage {
            manifests = List.copyOf(manifests);
        }
    }

    /**
     * Referrers of {@code subject} in {@code name}, optionally only those of one artifact type.
     * An unknown subject or repository gives an empty page.
     */
    public ReferrersPage list(RepositoryName name, Digest subject, Optional<String> artifactType, PageRequest request)
            throws IOException {
        ensureBuilt(name);
        Map<String, Descriptor> found = new LinkedHashMap<>();
        for (Digest referrer : RepositoryContents.linkedDigests(driver, StorageLayout.referrersOf(name, subject))) {
            if (!hasRevision(name, referrer)) continue; // deleted by a tool that does not know the index
            describe(referrer).ifPresent(d -> found.put(d.digest().toString(), d));
        }
        for (Descriptor listed : fallbackTagIndex(name, subject)) {
            if (!found.containsKey(listed.digest().toString()) && hasRevision(name, listed.digest())) {
                found.put(listed.digest().toString(), listed);
            }
        }
        List<Descriptor> all = new ArrayList<>(found.values());
        if (artifactType.isPresent()) all.removeIf(d -> !d.artifactType().equals(artifactType));
        all.sort(Comparator.comparing(d -> d.digest().toString()));
        List<String> keys = all.stream().map(d -> d.digest().toString()).toList();
        Page page = Page.of(keys, request.last(), request.limit(maxPageSize));
        Map<String, Descriptor> byKey = new LinkedHashMap<>();
        for (Descriptor d : all) byKey.put(d.digest().toString(), d);
        return new ReferrersPage(page.items().stream().map(byKey::get).toList(), page.next());
    }

    /** Records a pushed manifest in the index when it has a subject. Idempotent. */
    void record(RepositoryName name, Manifest manifest) throws IOException {
        Optional<SmallFile> entry = entry(name, manifest);
        if (entry.isPresent()) driver.writeSmall(entry.get().path(), entry.get().bytes());
    }

    /** The index entry of a manifest with a subject, for the caller to write with its other files. */
    Optional<SmallFile> entry(RepositoryName name, Manifest manifest) {
        if (manifest.subject().isEmpty()) return Optional.empty();
        return Optional.of(Links.file(StorageLayout.referrerLink(name, manifest.subject().get().digest(),
                manifest.digest()), manifest.digest()));
    }

    /** Removes a deleted manifest from the index; a manifest without subject is not in it. */
    void forget(RepositoryName name, Manifest manifest) throws IOException {
        if (manifest.subject().isEmpty()) return;
        driver.delete(StorageLayout.referrerDirectory(name, manifest.subject().get().digest(), manifest.digest()));
    }

    private void ensureBuilt(RepositoryName name) throws IOException {
        if (built.contains(name)) return;
        if (driver.statFile(StorageLayout.referrersBuiltMarker(name)).isEmpty()) {
            int indexed = 0;
            for (Digest revision : RepositoryContents.revisions(driver, name)) {
                Optional<Manifest> manifest = read(revision);
                if (manifest.isPresent() && manifest.get().subject().isPresent()) {
                    record(name, manifest.get());
                    indexed++;
                }
            }
            if (driver.stat(StorageLayout.manifestsDirectory(name)).isPresent()) {
                driver.writeSmall(StorageLayout.referrersBuiltMarker(name), new byte[0]);
                LOG.info("indexed {} referrers pushed earlier to {}", indexed, name);
            } else {
                return; // no such repository: nothing to mark, nothing to remember
            }
        }
        built.add(name);
    }

    private boolean hasRevision(RepositoryName name, Digest digest) throws IOException {
        return driver.statFile(StorageLayout.revisionLink(name, digest)).isPresent();
    }

    private Optional<Descriptor> describe(Digest digest) {
        Descriptor cached = descriptors.get(digest);
        if (cached != null) return Optional.of(cached);
        Optional<Descriptor> described = read(digest).map(m -> new Descriptor(m.mediaType(), m.digest(),
                m.bytes().length, m.effectiveArtifactType(), m.annotations()));
        if (descriptors.size() >= MAX_CACHED) descriptors.clear();
        described.ifPresent(d -> descriptors.put(digest, d));
        return described;
    }

    /** The stored manifest, parsed; empty when its bytes are gone or unparseable (logged). */
    private Optional<Manifest> read(Digest digest) {
        try {
            byte[] bytes = driver.readSmall(StorageLayout.blobData(digest), maxManifestBytes);
            return Optional.of(ManifestParser.parse(bytes, Optional.empty(), digest));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            LOG.warn("manifest {} cannot be read for the referrers index: {}", digest, unreadable.getMessage());
            return Optional.empty();
        }
    }

    /** Descriptors of the index tagged {@code <alg>-<hex>} (the spec's fallback for old registries). */
    private List<Descriptor> fallbackTagIndex(RepositoryName name, Digest subject) throws IOException {
        String encoded = subject.encoded();
        Tag tag;
        try {
            tag = new Tag(subject.algorithm() + "-" + (encoded.length() > 64 ? encoded.substring(0, 64) : encoded));
        } catch (RuntimeException notATag) {
            return List.of();
        }
        Optional<Digest> index = RepositoryContents.current(driver, name, tag);
        if (index.isEmpty()) return List.of();
        return read(index.get()).filter(Manifest::isIndex).map(Manifest::manifests).orElse(List.of());
    }
}
