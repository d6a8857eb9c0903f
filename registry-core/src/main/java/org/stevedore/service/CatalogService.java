package org.stevedore.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * The repository catalog: every directory under {@code repositories/} that holds a
 * {@code _manifests} or {@code _layers} directory, sorted and paged. Directories starting with
 * {@code _} are repository internals and never walked into, as in the reference registry.
 */
public final class CatalogService {
    private final StorageDriver driver;
    private final int maxPageSize;

    CatalogService(StorageDriver driver, int maxPageSize) {
        this.driver = driver;
        this.maxPageSize = maxPageSize;
    }

    /** A page of the repositories for which {@code visible} holds. */
    public Page list(PageRequest request, Predicate<String> visible) throws IOException {
        List<String> names = new ArrayList<>();
        walk(StorageLayout.REPOSITORIES, names);
        names.removeIf(visible.negate());
        Collections.sort(names);
        return Page.of(names, request.last(), request.limit(maxPageSize));
    }

    private void walk(String directory, List<String> names) throws IOException {
        boolean isRepository = false;
        for (String child : driver.list(directory)) {
            String leaf = StorageLayout.fileName(child);
            if (leaf.equals("_manifests") || leaf.equals("_layers")) {
                isRepository = true;
            } else if (!leaf.startsWith("_")) {
                walk(child, names);
            }
        }
        if (isRepository) names.add(directory.substring(StorageLayout.REPOSITORIES.length() + 1));
    }
}
