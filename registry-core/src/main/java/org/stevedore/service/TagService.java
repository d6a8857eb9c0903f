package org.stevedore.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.stevedore.error.ErrorCode;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Tag listing: the directories under {@code _manifests/tags}, sorted and paged. A page costs one
 * bounded listing of that directory from the client's {@code last} ({@link StorageDriver#listPage}),
 * not the whole directory: the tags directory is its own index.
 */
public final class TagService {
    private final StorageDriver driver;
    private final int maxPageSize;

    TagService(StorageDriver driver, int maxPageSize) {
        this.driver = driver;
        this.maxPageSize = maxPageSize;
    }

    /**
     * @throws org.stevedore.error.RegistryException {@code NAME_UNKNOWN} for a repository that has no
     *     tags directory: never pushed to, or holding only blobs, as the reference registry answers.
     *     A repository Stevedore pushed manifests to keeps answering (an empty list) once every tag
     *     is deleted, as the reference registry does on a filesystem, where the directory stays.
     */
    public Page list(RepositoryName name, PageRequest request) throws IOException {
        String directory = StorageLayout.tagsDirectory(name);
        int limit = request.limit(maxPageSize);
        Optional<String> last = request.last();
        if (limit == 0 || last.filter(l -> l.indexOf('/') >= 0).isPresent()) {
            // No page to bound (or a "last" no tag can follow by name): the whole directory.
            List<String> children = driver.list(directory);
            if (children.isEmpty()) requireRepository(name, directory);
            List<String> tags = new ArrayList<>(children.size());
            for (String child : children) tags.add(StorageLayout.fileName(child));
            return page(tags, request);
        }
        // One bounded listing from "last", one entry more than the page to tell whether more follow.
        List<String> children = driver.listPage(directory, last.orElse(""), limit + 1);
        if (children.isEmpty() && (last.isEmpty() || driver.listPage(directory, "", 1).isEmpty())) {
            requireRepository(name, directory);
        }
        List<String> tags = new ArrayList<>(Math.min(limit, children.size()));
        for (String child : children.subList(0, Math.min(limit, children.size()))) tags.add(StorageLayout.fileName(child));
        return new Page(tags, children.size() > limit ? Optional.of(tags.get(tags.size() - 1)) : Optional.empty());
    }

    /** Throws {@code NAME_UNKNOWN} unless the repository has, or had, tags (see {@link #list}). */
    private void requireRepository(RepositoryName name, String tagsDirectory) throws IOException {
        if (driver.stat(tagsDirectory).isEmpty() && driver.statFile(StorageLayout.referrersBuiltMarker(name)).isEmpty()) {
            throw ErrorCode.NAME_UNKNOWN.withDetail(name.value());
        }
    }

    /** One page of {@code tags} (from elsewhere, e.g. a pull-through cache's upstream), sorted. */
    public Page page(List<String> tags, PageRequest request) {
        List<String> sorted = new ArrayList<>(tags);
        Collections.sort(sorted);
        return Page.of(sorted, request.last(), request.limit(maxPageSize));
    }
}
