package org.stevedore.service;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.FileInfo;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * The catalog index: one empty file per repository in one storage directory
 * ({@link StorageLayout#CATALOG_ENTRIES}), named so that the store's name order is the catalog's
 * order. A page of the catalog is one paged listing of that directory plus one small listing per
 * repository on the page, whatever the number of repositories. It lives in storage, so every node
 * sharing the store reads and maintains the same index, and a node keeps nothing a request needs.
 *
 * <p><b>Maintenance.</b> A push writes the entry before the repository's first link (its first
 * blob link or manifest), so a repository in storage is always in the index. A node then trusts
 * its own write for {@link #REFRESH} and rewrites the entry at the next push after that. Entries
 * are not removed when a push fails or a delete empties a repository: every page confirms each
 * listed repository in storage (its {@code _manifests} or {@code _layers} directory), so an entry
 * without a repository (a push killed between the entry and its link, a repository emptied on a
 * store without directories) is never listed. Such an entry is removed by the reader that meets
 * it once it is older than {@link #STALE}; the reader then looks again and writes the entry back
 * if a push linked something meanwhile.
 *
 * <p><b>Why a removal never unlists a live repository.</b> A node skips the entry write only
 * within {@code REFRESH} of its own write, whose time the entry's modification time records (or a
 * later one). A reader removes an entry only when it is older than {@code STALE} = 2 x
 * {@code REFRESH} and the repository was missing after that, so any push that skipped the write
 * linked its content {@code REFRESH} before the reader looked: the reader saw it. What remains is
 * a push writing the entry while the reader removes it: the reader's second look catches the link
 * unless the push is paused between its entry and its link for longer than those two looks take.
 * Clocks of nodes and store may differ by less than {@code REFRESH} for this argument to hold.
 * Where it does not, {@link #reconcile} (run by online garbage collection after each collection)
 * writes back any entry missing for a repository in storage and removes stale residue.
 *
 * <p><b>Stores written without the index</b> (by distribution, or an older Stevedore) are indexed
 * once, on the first catalog request: the tree is walked ({@link CatalogWalk}), every repository
 * gets its entry, then the {@link StorageLayout#CATALOG_BUILT} marker. A crash before the marker
 * means the next request walks again; pushes meanwhile write their entries anyway. A store that
 * distribution writes to after the marker exists needs the marker deleted to be indexed again.
 */
final class CatalogIndex {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogIndex.class);
    /** How long a node trusts its own entry write before rewriting it at the next push. */
    static final Duration REFRESH = Duration.ofMinutes(5);
    /** How old an entry without a repository must be before a reader removes it. */
    static final Duration STALE = REFRESH.multipliedBy(2);
    private static final int MAX_REMEMBERED = 100_000;
    /** How long a node trusts the built marker it saw before looking again. */
    static final Duration RECHECK = Duration.ofMinutes(1);
    /** How long listings walk after a failed build before the next attempt. */
    static final Duration RETRY_BUILD = Duration.ofMinutes(10);
    /** Confirmations side by side: a page of 100 on S3 costs about 100 / 32 round trips. */
    private static final int IN_FLIGHT = 32;
    /** Repairs of a reconcile pass between two checkpoints. */
    private static final int RECONCILE_BATCH = 1_000;

    private final StorageDriver driver;
    private final Clock clock;
    /** Repository to the {@code System.nanoTime()} of this node's last entry write. */
    private final Map<RepositoryName, Long> written = new ConcurrentHashMap<>();
    private final Object building = new Object();
    private volatile boolean built;
    private volatile long checkedAt;
    private volatile long retryBuildAt = System.nanoTime();

    CatalogIndex(StorageDriver driver, Clock clock) {
        this.driver = driver;
        this.clock = clock;
    }

    /** Makes sure the repository has its entry; called before each link a push writes. */
    void add(RepositoryName name) throws IOException {
        long now = System.nanoTime();
        Long last = written.get(name);
        if (last != null && now - last < REFRESH.toNanos()) return;
        try {
            driver.writeSmall(StorageLayout.catalogEntry(name), new byte[0]);
        } catch (IOException refused) {
            // A store may refuse the entry's name (a key component longer than it allows) or fail
            // for a moment. The push goes on: the index is no longer complete, so it stops being
            // trusted, and listings walk the storage until a build succeeds.
            LOG.warn("catalog index: cannot write the entry of {} ({}); listing by walking the storage",
                    name, refused.toString());
            distrust();
            return;
        }
        if (written.size() >= MAX_REMEMBERED) written.clear();
        written.put(name, now);
    }

    /**
     * Removes the entry of a repository just deleted, and writes it back if a push linked
     * something meanwhile.
     */
    void forget(RepositoryName name) throws IOException {
        written.remove(name);
        driver.delete(StorageLayout.catalogEntry(name));
        if (exists(name.value())) driver.writeSmall(StorageLayout.catalogEntry(name), new byte[0]);
    }

    /**
     * Up to {@code limit} repositories after {@code last} for which {@code visible} holds, plus
     * one more when more follow: the caller tells a last page by getting {@code limit} or fewer.
     */
    List<String> after(Optional<String> last, int limit, Predicate<String> visible) throws IOException {
        try {
            ensureBuilt();
        } catch (BuildPending pending) {
            return fromWalk(last, limit, visible); // warned when the build failed
        } catch (IOException unwritable) {
            // A store the registry cannot write (mounted read-only, a failing bucket): answer from
            // the walk, as before the index, and try building again at the next request.
            LOG.warn("catalog index: cannot build it ({}); listing by walking the storage", unwritable.toString());
            return fromWalk(last, limit, visible);
        }
        List<String> found = new ArrayList<>(limit + 1);
        String after = StorageLayout.catalogEntryName(last.orElse(""));
        while (found.size() <= limit) {
            int batch = limit + 1 - found.size();
            List<String> entries = driver.listPage(StorageLayout.CATALOG_ENTRIES, after, batch);
            List<String> candidates = new ArrayList<>(entries.size());
            for (String entry : entries) {
                String name = StorageLayout.repositoryOfCatalogEntry(StorageLayout.fileName(entry));
                // The encoding never reorders, but an odd "last" (a ':') may share an entry's name.
                if (last.isPresent() && name.compareTo(last.get()) <= 0) continue;
                if (isValid(name) && visible.test(name)) candidates.add(name);
            }
            found.addAll(confirmed(candidates));
            if (entries.size() < batch) break;
            after = StorageLayout.fileName(entries.get(entries.size() - 1));
        }
        return found;
    }

    private List<String> fromWalk(Optional<String> last, int limit, Predicate<String> visible) throws IOException {
        List<String> found = new ArrayList<>(limit + 1);
        for (String name : CatalogWalk.repositories(driver)) {
            if (found.size() > limit) break;
            if ((last.isEmpty() || name.compareTo(last.get()) > 0) && visible.test(name)) found.add(name);
        }
        return found;
    }

    /** The candidates that are repositories in storage, in order; stale entries are repaired. */
    private List<String> confirmed(List<String> candidates) throws IOException {
        boolean[] present = new boolean[candidates.size()];
        List<BlobLocks.Work<?>> checks = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            int index = i;
            checks.add(() -> {
                String name = candidates.get(index);
                present[index] = exists(name) || repairedEntry(name);
                return null;
            });
        }
        Parallel.run(checks, IN_FLIGHT);
        List<String> names = new ArrayList<>(candidates.size());
        for (int i = 0; i < present.length; i++) if (present[i]) names.add(candidates.get(i));
        return names;
    }

    /**
     * An entry without a repository: removed when older than {@link #STALE}; true only if a push
     * linked the repository meanwhile (then the entry is written back).
     */
    private boolean repairedEntry(String name) throws IOException {
        RepositoryName repository = RepositoryName.of(name);
        String entry = StorageLayout.catalogEntry(repository);
        Optional<FileInfo> info = driver.statFile(entry);
        if (info.isEmpty() || info.get().modified().isAfter(clock.instant().minus(STALE))) return false;
        driver.delete(entry);
        if (!exists(name)) {
            LOG.info("catalog index: removed {}, which holds nothing", name);
            return false;
        }
        driver.writeSmall(entry, new byte[0]);
        return true;
    }

    /** Whether storage holds the repository: one listing of the repository's directory. */
    private boolean exists(String name) throws IOException {
        // "_layer" sorts just before "_layers" and "_manifests", the two children that make a repository.
        for (String child : driver.listPage(StorageLayout.REPOSITORIES + "/" + name, "_layer", 2)) {
            String leaf = StorageLayout.fileName(child);
            if (leaf.equals("_layers") || leaf.equals("_manifests")) return true;
        }
        return false;
    }

    /**
     * Repairs the index against a full walk of the storage: writes the entry of every repository
     * that has none, and removes entries without a repository by the readers' rule (older than
     * {@link #STALE}, looked at again after the removal, so a push in flight keeps its entry).
     * Online garbage collection runs it under the fleet's lease, so any residue the timing argument
     * above does not cover (skewed clocks, a push paused for minutes, an entry lost with a
     * crashed store) is repaired within one collection interval. The entries are listed before
     * the walk: a repository pushed in between is found by the walk and its entry rewritten,
     * which is harmless. Does nothing while the index is not built: the next listing builds it.
     */
    CatalogService.Reconciled reconcile(GarbageCollector.Checkpoint checkpoint) throws IOException {
        if (driver.statFile(StorageLayout.CATALOG_BUILT).isEmpty()) return new CatalogService.Reconciled(0, 0);
        Set<String> indexed = new HashSet<>();
        for (String entry : driver.list(StorageLayout.CATALOG_ENTRIES)) {
            indexed.add(StorageLayout.repositoryOfCatalogEntry(StorageLayout.fileName(entry)));
        }
        checkpoint.reached();
        List<String> walked = CatalogWalk.repositories(driver);
        AtomicInteger added = new AtomicInteger();
        AtomicInteger removed = new AtomicInteger();
        List<BlobLocks.Work<?>> repairs = new ArrayList<>();
        for (String name : walked) {
            if (indexed.remove(name) || !isValid(name)) continue;
            repairs.add(() -> {
                driver.writeSmall(StorageLayout.catalogEntry(RepositoryName.of(name)), new byte[0]);
                added.incrementAndGet();
                return null;
            });
        }
        for (String name : indexed) {
            if (!isValid(name)) continue;
            repairs.add(() -> {
                if (!exists(name) && !repairedEntry(name)
                        && driver.statFile(StorageLayout.catalogEntry(RepositoryName.of(name))).isEmpty()) {
                    removed.incrementAndGet();
                }
                return null;
            });
        }
        // In batches, with the checkpoint between them: the lease holder renews there.
        for (int from = 0; from < repairs.size(); from += RECONCILE_BATCH) {
            checkpoint.reached();
            Parallel.run(repairs.subList(from, Math.min(repairs.size(), from + RECONCILE_BATCH)), IN_FLIGHT);
        }
        if (added.get() + removed.get() > 0) {
            LOG.info("catalog index: reconciled with the storage, {} entries added, {} removed", added.get(), removed.get());
        }
        return new CatalogService.Reconciled(added.get(), removed.get());
    }

    /**
     * Trusts the index while its marker is there, looking again at most every {@link #RECHECK}, so
     * that a node learns within that time when another one found the index incomplete. After a
     * failed build, listings walk for {@link #RETRY_BUILD} before the next attempt.
     */
    private void ensureBuilt() throws IOException {
        long now = System.nanoTime();
        if (built && now - checkedAt < RECHECK.toNanos()) return;
        synchronized (building) {
            if (built && now - checkedAt < RECHECK.toNanos()) return;
            if (now - retryBuildAt < 0) throw new BuildPending();
            if (driver.statFile(StorageLayout.CATALOG_BUILT).isEmpty()) {
                try {
                    build();
                } catch (IOException | RuntimeException failed) {
                    retryBuildAt = System.nanoTime() + RETRY_BUILD.toNanos();
                    throw failed;
                }
            }
            checkedAt = System.nanoTime();
            built = true;
        }
    }

    /** Listings walk: a build failed a moment ago. */
    private static final class BuildPending extends IOException {
        BuildPending() {
            super("the index is being rebuilt later");
        }
    }

    /** The index misses a repository: every node walks until it has been built again. */
    private void distrust() {
        built = false;
        try {
            driver.delete(StorageLayout.CATALOG_BUILT);
        } catch (IOException e) {
            LOG.warn("catalog index: cannot remove its built marker ({})", e.toString());
        }
    }

    /** Indexes every repository the tree holds, then marks the index built. */
    private void build() throws IOException {
        long start = System.nanoTime();
        List<String> names = CatalogWalk.repositories(driver);
        AtomicInteger indexed = new AtomicInteger();
        List<BlobLocks.Work<?>> writes = new ArrayList<>(names.size());
        for (String name : names) {
            if (!isValid(name)) continue; // not servable under any name; left alone, as the walk always did
            writes.add(() -> {
                driver.writeSmall(StorageLayout.catalogEntry(RepositoryName.of(name)), new byte[0]);
                indexed.incrementAndGet();
                return null;
            });
        }
        Parallel.run(writes, IN_FLIGHT);
        driver.writeSmall(StorageLayout.CATALOG_BUILT, new byte[0]);
        LOG.info("catalog index: indexed {} repositories found in storage in {} ms", indexed.get(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static boolean isValid(String name) {
        try {
            RepositoryName.of(name);
            return true;
        } catch (RuntimeException invalid) {
            return false;
        }
    }
}
