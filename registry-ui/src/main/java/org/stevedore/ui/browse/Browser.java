package org.stevedore.ui.browse;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.stevedore.error.RegistryException;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.Page;
import org.stevedore.service.PageRequest;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * What the pages read: repositories, tags with their push times, manifest summaries. Reads go
 * through the registry's services; push times, which no API exposes, come from the tag links'
 * modification times in the storage layout, all of a repository's read at once (no manifest
 * read), and only the page shown reads manifests.
 */
public final class Browser {
    /** Below a tag's directory, the link whose time is the tag's push time. */
    private static final String CURRENT_LINK = StorageLayout.TAG_CURRENT_LINK;

    private final RegistryService service;
    private final StorageDriver storage;
    private final ManifestSummaries summaries;

    public Browser(RegistryService service) {
        this.service = service;
        this.storage = service.storage();
        this.summaries = new ManifestSummaries(service);
    }

    public ManifestSummaries summaries() {
        return summaries;
    }

    public RegistryService service() {
        return service;
    }

    /** Up to {@code count} repository names after {@code last} for which {@code visible} holds, sorted. */
    public Page repositories(int count, Optional<String> last, Predicate<String> visible) throws IOException {
        return service.catalog().list(new PageRequest(java.util.OptionalInt.of(count), last), visible);
    }

    /** Whether anything is stored under the repository's name. */
    public boolean exists(RepositoryName name) throws IOException {
        return storage.stat(StorageLayout.repository(name)).isPresent();
    }

    /** Every tag, for {@link #tags}: read all push times at once, no name listing first. */
    public static final Predicate<String> ALL_TAGS = tag -> true;

    /** Past this many tags matching a filter, their push times are read all at once. */
    static final int STAT_EACH_UP_TO = 100;

    /**
     * The tags of {@code name} whose names {@code filter} accepts, with their push times, newest
     * first; empty for an unknown repository. A tag's push time is its current link's modification
     * time. For {@link #ALL_TAGS} every tag's is read at once ({@link StorageDriver#statInEachChild}:
     * on a filesystem a listing and a stat per tag, on S3 a listing request per 1,000 keys rather
     * than a HEAD per tag); for a filter, the names are listed first and, when few match, only
     * theirs are read, so a narrow filter costs a listing and a few stats on any store.
     */
    public List<TagEntry> tags(RepositoryName name, Predicate<String> filter) throws IOException {
        if (filter != ALL_TAGS) {
            List<Tag> matching = new ArrayList<>();
            for (String child : storage.list(StorageLayout.tagsDirectory(name))) {
                String tag = StorageLayout.fileName(child);
                if (filter.test(tag)) tagOf(tag).ifPresent(matching::add);
            }
            if (matching.size() <= STAT_EACH_UP_TO) {
                List<TagEntry> tags = new ArrayList<>(matching.size());
                for (Tag tag : matching) {
                    storage.statFile(StorageLayout.tagCurrentLink(name, tag))
                            .ifPresent(link -> tags.add(new TagEntry(tag.value(), link.modified())));
                }
                return newestFirst(tags);
            }
        }
        String directory = StorageLayout.tagsDirectory(name) + "/";
        List<TagEntry> tags = new ArrayList<>();
        for (FileInfo link : storage.statInEachChild(StorageLayout.tagsDirectory(name), CURRENT_LINK)) {
            String path = link.path();
            if (!path.startsWith(directory) || !path.endsWith("/" + CURRENT_LINK)) continue;
            String tag = path.substring(directory.length(), path.length() - CURRENT_LINK.length() - 1);
            if (filter.test(tag)) tagOf(tag).ifPresent(t -> tags.add(new TagEntry(t.value(), link.modified())));
        }
        return newestFirst(tags);
    }

    private static List<TagEntry> newestFirst(List<TagEntry> tags) {
        tags.sort(Comparator.comparing(TagEntry::pushed).reversed().thenComparing(TagEntry::tag));
        return tags;
    }

    /** The tag of a tag directory's name; empty for a name no client could give as a tag. */
    private static Optional<Tag> tagOf(String name) {
        try {
            return Optional.of(Tag.of(name));
        } catch (RuntimeException notATag) {
            return Optional.empty();
        }
    }

    /** Digest and summary of each entry; a tag deleted meanwhile is left out. */
    public List<TagDetails> details(RepositoryName name, List<TagEntry> entries) throws IOException {
        List<TagDetails> details = new ArrayList<>(entries.size());
        for (TagEntry entry : entries) {
            Optional<Digest> digest = resolve(name, entry.tag());
            if (digest.isEmpty()) continue;
            Optional<ManifestSummary> summary = summaries.of(name, digest.get());
            summary.ifPresent(s -> details.add(new TagDetails(entry.tag(), entry.pushed(), digest.get(), s)));
        }
        return details;
    }

    /**
     * Tag count (one listing), and from the repository's manifests (its revision links, far fewer
     * than tags where many tags share images): the size of their distinct blobs and the last push,
     * the newest revision link (every manifest PUT, under any tag, rewrites it).
     */
    public RepositorySummary summarize(RepositoryName name) throws IOException {
        int tagCount = storage.list(StorageLayout.tagsDirectory(name)).size();
        Map<Digest, Long> blobs = new HashMap<>();
        Instant last = null;
        for (String algorithm : storage.list(StorageLayout.revisionsDirectory(name))) {
            for (String encoded : storage.list(algorithm)) {
                Digest digest;
                try {
                    digest = new Digest(StorageLayout.fileName(algorithm), StorageLayout.fileName(encoded));
                } catch (RuntimeException notADigest) {
                    continue;
                }
                Optional<FileInfo> link = storage.statFile(StorageLayout.revisionLink(name, digest));
                if (link.isEmpty()) continue;
                if (last == null || link.get().modified().isAfter(last)) last = link.get().modified();
                summaries.of(name, digest).ifPresent(s -> blobs.putAll(s.blobs()));
            }
        }
        long size = blobs.values().stream().mapToLong(Long::longValue).sum();
        return new RepositorySummary(name.value(), tagCount, size, Optional.ofNullable(last));
    }

    private Optional<Digest> resolve(RepositoryName name, String tag) throws IOException {
        try {
            return Optional.of(service.manifests().resolve(name, Tag.of(tag)));
        } catch (RegistryException gone) {
            return Optional.empty();
        }
    }
}
