package org.stevedore.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.function.Predicate;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * The repository catalog: every directory under {@code repositories/} that holds a
 * {@code _manifests} or {@code _layers} directory, sorted and paged. Directories starting with
 * {@code _} are repository internals and never walked into, as in the reference registry.
 *
 * <p>Round trips: candidates come from one
 * {@link StorageDriver#listDirectoriesWithChildStartingWith} call (on S3 a few paged listings for
 * thousands of repositories where the store allows, not one listing per directory). A
 * candidate whose only internal child is {@code _uploads} is an upload in progress, not a
 * repository; where the driver could not name a candidate's internal children, it is confirmed
 * with one {@link StorageDriver#list} only as far as the page asked for, several side by side.
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
        List<String> candidates = new ArrayList<>();
        Set<String> unconfirmed = new HashSet<>(); // internal children unknown: confirmed when paged to
        int rootLength = StorageLayout.REPOSITORIES.length() + 1;
        driver.listDirectoriesWithChildStartingWith(StorageLayout.REPOSITORIES, "_").forEach((directory, children) -> {
            String name = directory.substring(rootLength);
            if (children.isEmpty() || isRepository(children)) candidates.add(name);
            if (children.isEmpty()) unconfirmed.add(name);
        });
        candidates.removeIf(visible.negate());
        Collections.sort(candidates);
        int limit = request.limit(maxPageSize);
        int from = 0;
        if (request.last().isPresent()) {
            int index = Collections.binarySearch(candidates, request.last().get());
            from = index >= 0 ? index + 1 : -index - 1;
        }
        List<String> page = new ArrayList<>();
        for (int i = from; i < candidates.size() && limit > 0; ) {
            // As many candidates as the page still needs, plus one to tell whether more follow.
            List<String> window = candidates.subList(i, Math.min(candidates.size(), i + limit + 1 - page.size()));
            Set<String> rejected = notRepositories(window, unconfirmed);
            for (String candidate : window) {
                if (rejected.contains(candidate)) continue;
                if (page.size() == limit) return new Page(page, Optional.of(page.get(page.size() - 1)));
                page.add(candidate);
            }
            i += window.size();
        }
        return new Page(page, Optional.empty());
    }

    /** The unconfirmed candidates of {@code window} that are no repository, listed side by side. */
    private Set<String> notRepositories(List<String> window, Set<String> unconfirmed) throws IOException {
        Set<String> rejected = ConcurrentHashMap.newKeySet();
        List<BlobLocks.Work<?>> checks = new ArrayList<>();
        for (String candidate : window) {
            if (!unconfirmed.contains(candidate)) continue;
            checks.add(() -> {
                if (!isRepository(childNames(candidate))) rejected.add(candidate);
                return null;
            });
        }
        if (!checks.isEmpty()) Parallel.run(checks);
        return rejected;
    }

    private static boolean isRepository(Set<String> children) {
        return children.contains("_manifests") || children.contains("_layers");
    }

    private Set<String> childNames(String name) throws IOException {
        Set<String> names = new HashSet<>();
        for (String child : driver.list(StorageLayout.REPOSITORIES + "/" + name)) names.add(StorageLayout.fileName(child));
        return names;
    }
}
