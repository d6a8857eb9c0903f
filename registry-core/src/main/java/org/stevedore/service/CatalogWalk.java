package org.stevedore.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * Every repository in storage found by walking the tree, as the reference registry finds them:
 * each directory under {@code repositories/} that holds a {@code _manifests} or {@code _layers}
 * directory; directories starting with {@code _} are repository internals and never walked into.
 * The catalog index is built from it once for stores written without the index (see
 * {@link CatalogIndex}).
 *
 * <p>Candidates come from one {@link StorageDriver#listDirectoriesWithChildStartingWith} call (on
 * S3 a few paged listings for thousands of repositories where the store allows). A candidate whose
 * only internal child is {@code _uploads} is an upload in progress, not a repository; where the
 * driver could not name a candidate's internal children, one {@link StorageDriver#list} confirms
 * it, many side by side.
 */
final class CatalogWalk {
    private static final int IN_FLIGHT = 32;

    private CatalogWalk() {
    }

    /** The repository names, sorted. */
    static List<String> repositories(StorageDriver driver) throws IOException {
        List<String> names = new ArrayList<>();
        Set<String> rejected = ConcurrentHashMap.newKeySet();
        List<BlobLocks.Work<?>> checks = new ArrayList<>();
        int rootLength = StorageLayout.REPOSITORIES.length() + 1;
        driver.listDirectoriesWithChildStartingWith(StorageLayout.REPOSITORIES, "_").forEach((directory, children) -> {
            String name = directory.substring(rootLength);
            if (!children.isEmpty() && !isRepository(children)) return;
            names.add(name);
            if (children.isEmpty()) {
                checks.add(() -> {
                    if (!isRepository(childNames(driver, directory))) rejected.add(name);
                    return null;
                });
            }
        });
        Parallel.run(checks, IN_FLIGHT);
        names.removeAll(rejected);
        Collections.sort(names);
        return names;
    }

    static boolean isRepository(Set<String> children) {
        return children.contains("_manifests") || children.contains("_layers");
    }

    private static Set<String> childNames(StorageDriver driver, String directory) throws IOException {
        Set<String> names = new HashSet<>();
        for (String child : driver.list(directory)) names.add(StorageLayout.fileName(child));
        return names;
    }
}
