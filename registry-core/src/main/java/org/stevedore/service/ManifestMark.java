package org.stevedore.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.storage.StorageDriver;

/**
 * The mark phase of {@link GarbageCollector} for one repository: reads every revision once,
 * decides which manifests are kept, and adds what they reference to the mark set.
 */
final class ManifestMark {
    /** A manifest to delete with {@code deleteUntagged}. */
    record Doomed(RepositoryName repository, Digest digest, Optional<Digest> subject) {
    }

    private final StorageDriver driver;
    private final RepositoryName name;
    private final int maxManifestBytes;
    private final Consumer<String> progress;
    private final List<Doomed> doomed = new ArrayList<>();

    ManifestMark(StorageDriver driver, RepositoryName name, int maxManifestBytes, Consumer<String> progress) {
        this.driver = driver;
        this.name = name;
        this.maxManifestBytes = maxManifestBytes;
        this.progress = progress;
    }

    /**
     * Marks the kept manifests of the repository and their references; returns how many were kept.
     *
     * @throws IOException when a revision's bytes are missing or unreadable: its references are
     *     unknown, so nothing may be deleted (distribution stops the same way)
     */
    int markInto(Set<Digest> marked, boolean deleteUntagged, GarbageCollector.Checkpoint checkpoint) throws IOException {
        Map<Digest, ManifestReferences> revisions = new HashMap<>();
        for (Digest digest : RepositoryContents.revisions(driver, name)) {
            checkpoint.reached();
            byte[] bytes = GarbageCollector.readManifest(driver, digest, maxManifestBytes);
            try {
                revisions.put(digest, ManifestReferences.of(bytes));
            } catch (IOException unreadable) {
                throw new IOException("manifest " + digest + " in " + name + " cannot be read: "
                        + unreadable.getMessage(), unreadable);
            }
        }
        Set<Digest> kept = deleteUntagged ? reachedFromTags(revisions) : revisions.keySet();
        for (Map.Entry<Digest, ManifestReferences> entry : revisions.entrySet()) {
            Digest digest = entry.getKey();
            if (!kept.contains(digest)) {
                progress.accept("manifest eligible for deletion: " + digest);
                doomed.add(new Doomed(name, digest, entry.getValue().subject()));
                continue;
            }
            progress.accept(name + ": marking manifest " + digest);
            marked.add(digest);
            for (Digest reference : entry.getValue().all()) {
                marked.add(reference);
                progress.accept(name + ": marking blob " + reference);
            }
        }
        return kept.size();
    }

    List<Doomed> doomed() {
        return doomed;
    }

    /** Tagged manifests, closed over index children and referrers of what is reached. */
    private Set<Digest> reachedFromTags(Map<Digest, ManifestReferences> revisions) throws IOException {
        Set<Digest> reached = new LinkedHashSet<>();
        for (Tag tag : RepositoryContents.tags(driver, name)) {
            RepositoryContents.current(driver, name, tag).filter(revisions::containsKey).ifPresent(reached::add);
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Digest digest : List.copyOf(reached)) {
                for (Digest child : revisions.get(digest).manifests()) {
                    if (revisions.containsKey(child) && reached.add(child)) grew = true;
                }
            }
            for (Map.Entry<Digest, ManifestReferences> entry : revisions.entrySet()) {
                Optional<Digest> subject = entry.getValue().subject();
                if (subject.isPresent() && reached.contains(subject.get()) && reached.add(entry.getKey())) grew = true;
            }
        }
        return reached;
    }
}
