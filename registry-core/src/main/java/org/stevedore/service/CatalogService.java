package org.stevedore.service;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.stevedore.model.RepositoryName;

/**
 * The repository catalog, sorted and paged, read from the catalog index kept in storage (see
 * {@link CatalogIndex}): a page costs one paged listing of the index and one small listing per
 * repository on it, at any number of repositories. Which directories are repositories is the
 * reference registry's rule (see {@link CatalogWalk}), from which a store written without the
 * index is indexed on first use.
 */
public final class CatalogService {
    private final CatalogIndex index;
    private final int maxPageSize;

    CatalogService(CatalogIndex index, int maxPageSize) {
        this.index = index;
        this.maxPageSize = maxPageSize;
    }

    /** A page of the repositories for which {@code visible} holds. */
    public Page list(PageRequest request, Predicate<String> visible) throws IOException {
        int limit = request.limit(maxPageSize);
        if (limit == 0) return new Page(List.of(), Optional.empty());
        List<String> found = index.after(request.last(), limit, visible);
        if (found.size() <= limit) return new Page(found, Optional.empty());
        List<String> page = found.subList(0, limit);
        return new Page(page, Optional.of(page.get(limit - 1)));
    }

    /**
     * Repairs the index against a full walk of the storage (entries missing, entries without a
     * repository); online garbage collection runs it under the fleet's lease. Returns how many
     * entries were added and removed.
     */
    public Reconciled reconcile(GarbageCollector.Checkpoint checkpoint) throws IOException {
        return index.reconcile(checkpoint);
    }

    /** What a {@link #reconcile} pass repaired: entries written for repositories without one, entries removed. */
    public record Reconciled(int added, int removed) {
    }

    /**
     * Drops a deleted repository from the index (a tool deleting whole repositories calls it); a
     * repository something was pushed to meanwhile stays.
     */
    public void forget(RepositoryName name) throws IOException {
        index.forget(name);
    }
}
