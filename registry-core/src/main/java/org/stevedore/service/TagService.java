package org.stevedore.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.stevedore.error.ErrorCode;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/** Tag listing: the directories under {@code _manifests/tags}, sorted and paged. */
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
        List<String> children = driver.list(StorageLayout.tagsDirectory(name));
        if (children.isEmpty() && driver.stat(StorageLayout.tagsDirectory(name)).isEmpty()
                && driver.statFile(StorageLayout.referrersBuiltMarker(name)).isEmpty()) {
            throw ErrorCode.NAME_UNKNOWN.withDetail(name.value());
        }
        List<String> tags = new ArrayList<>(children.size());
        for (String child : children) tags.add(StorageLayout.fileName(child));
        return page(tags, request);
    }

    /** One page of {@code tags} (from elsewhere, e.g. a pull-through cache's upstream), sorted. */
    public Page page(List<String> tags, PageRequest request) {
        List<String> sorted = new ArrayList<>(tags);
        Collections.sort(sorted);
        return Page.of(sorted, request.last(), request.limit(maxPageSize));
    }
}
