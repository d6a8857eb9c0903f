package org.stevedore.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stevedore.model.RepositoryName;
import org.stevedore.storage.CheckedDriver;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;
import org.stevedore.storage.memory.InMemoryDriver;

/** Repair of catalog index entries without a repository, on a clock the test moves. */
class CatalogIndexTest {
    private final StorageDriver driver = CheckedDriver.wrap(InMemoryDriver.create());
    private static final RepositoryName LIVE = RepositoryName.of("live/app");
    private static final RepositoryName GONE = RepositoryName.of("gone/app");

    private CatalogIndex at(Duration later) {
        return new CatalogIndex(driver, Clock.offset(Clock.systemUTC(), later));
    }

    private void link(RepositoryName name) throws Exception {
        driver.writeSmall(StorageLayout.layerLink(name, new org.stevedore.model.Digest("sha256", "c".repeat(64))),
                ("sha256:" + "c".repeat(64)).getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anEntryWithoutRepositoryIsHiddenWhileFreshAndRemovedOnceStale() throws Exception {
        CatalogIndex now = at(Duration.ZERO);
        now.add(LIVE);
        link(LIVE);
        now.add(GONE); // a push killed before its first link

        assertEquals(List.of("live/app"), now.after(Optional.empty(), 10, name -> true));
        assertTrue(driver.statFile(StorageLayout.catalogEntry(GONE)).isPresent(), "a fresh entry may belong to a push in flight");

        assertEquals(List.of("live/app"), at(CatalogIndex.STALE.plusMinutes(1)).after(Optional.empty(), 10, name -> true));
        assertFalse(driver.statFile(StorageLayout.catalogEntry(GONE)).isPresent(), "a stale entry is removed");
        assertTrue(driver.statFile(StorageLayout.catalogEntry(LIVE)).isPresent());
    }

    @Test
    void reconcilingWritesMissingEntriesAndRemovesStaleOnesOnly() throws Exception {
        CatalogIndex index = at(Duration.ZERO);
        RepositoryName lost = RepositoryName.of("lost/entry");
        index.add(LIVE);
        link(LIVE);
        index.add(GONE); // a push killed before its first link
        index.after(Optional.empty(), 10, name -> true); // builds the index
        link(lost); // a repository whose entry went missing (written past the index)
        List<Integer> checkpoints = new java.util.ArrayList<>();

        CatalogService.Reconciled early = index.reconcile(() -> checkpoints.add(1));
        assertEquals(new CatalogService.Reconciled(1, 0), early, "the missing entry is written, the fresh residue kept");
        assertTrue(driver.statFile(StorageLayout.catalogEntry(lost)).isPresent());
        assertTrue(driver.statFile(StorageLayout.catalogEntry(GONE)).isPresent(), "may belong to a push in flight");
        assertFalse(checkpoints.isEmpty(), "the lease holder renews during the pass");

        CatalogService.Reconciled later = at(CatalogIndex.STALE.plusMinutes(1)).reconcile(() -> { });
        assertEquals(new CatalogService.Reconciled(0, 1), later);
        assertFalse(driver.statFile(StorageLayout.catalogEntry(GONE)).isPresent(), "stale residue is removed");
        assertEquals(List.of("live/app", "lost/entry"), index.after(Optional.empty(), 10, name -> true));
        assertEquals(new CatalogService.Reconciled(0, 0), at(CatalogIndex.STALE.plusMinutes(1)).reconcile(() -> { }));
    }

    @Test
    void reconcilingAnIndexNotYetBuiltLeavesItToTheFirstListing() throws Exception {
        link(LIVE);
        assertEquals(new CatalogService.Reconciled(0, 0), at(Duration.ZERO).reconcile(() -> { }));
        assertFalse(driver.statFile(StorageLayout.catalogEntry(LIVE)).isPresent());
    }

    @Test
    void aStaleEntryWhoseRepositoryAppearedIsListedAndKept() throws Exception {
        CatalogIndex index = at(Duration.ZERO);
        index.add(GONE);
        index.after(Optional.empty(), 10, name -> true); // builds the (empty) index
        link(GONE); // the push linked after all, by a paused node
        assertEquals(List.of("gone/app"), at(CatalogIndex.STALE.plusMinutes(1)).after(Optional.empty(), 10, name -> true));
        assertTrue(driver.statFile(StorageLayout.catalogEntry(GONE)).isPresent());
    }

    @Test
    void pagesSkipInvisibleAndMissingRepositoriesAndSayWhetherMoreFollow() throws Exception {
        CatalogIndex index = at(Duration.ZERO);
        for (String name : List.of("a", "a-b", "a/b", "b", "c", "d")) {
            RepositoryName repository = RepositoryName.of(name);
            index.add(repository);
            if (!name.equals("b")) link(repository);
        }
        // One more than the page when more follow; none from the hidden "c" or the missing "b".
        assertEquals(List.of("a", "a-b", "a/b"), index.after(Optional.empty(), 2, name -> !name.equals("c")));
        assertEquals(List.of("a/b", "d"), index.after(Optional.of("a-b"), 2, name -> !name.equals("c")));
        assertEquals(List.of("c", "d"), index.after(Optional.of("a:z"), 5, name -> true), "a last no name can have");
    }

    @Test
    void aStoreThatRefusesWritesIsListedByWalking() throws Exception {
        link(LIVE); // as distribution left it: no index
        StorageDriver inner = driver;
        StorageDriver readOnly = (StorageDriver) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StorageDriver.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("write")) throw new java.nio.file.AccessDeniedException("read-only");
                    try {
                        return method.invoke(inner, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CatalogIndex index = new CatalogIndex(readOnly, Clock.systemUTC());
        assertEquals(List.of("live/app"), index.after(Optional.empty(), 10, name -> true));
        assertEquals(List.of(), index.after(Optional.of("live/app"), 10, name -> true));
        assertFalse(driver.statFile(StorageLayout.CATALOG_BUILT).isPresent());
    }

    @Test
    void anEntryTheStoreRefusesDoesNotFailThePushAndEveryNodeListsByWalkingThen() throws Exception {
        RepositoryName refused = RepositoryName.of("refused/" + "n".repeat(200));
        StorageDriver inner = driver;
        StorageDriver picky = (StorageDriver) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StorageDriver.class}, (proxy, method, args) -> {
                    // Like S3Proxy's file backend: a key component this long cannot be stored.
                    if (method.getName().equals("writeSmall") && ((String) args[0]).length() > 200
                            && ((String) args[0]).startsWith(StorageLayout.CATALOG_ENTRIES)) {
                        throw new java.io.IOException("File name too long");
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CatalogIndex pushing = new CatalogIndex(picky, Clock.systemUTC());
        pushing.add(LIVE);
        link(LIVE);
        assertEquals(List.of("live/app"), pushing.after(Optional.empty(), 10, name -> true)); // built
        assertTrue(driver.statFile(StorageLayout.CATALOG_BUILT).isPresent());

        pushing.add(refused); // refused by the store: the push goes on
        link(refused);
        assertFalse(driver.statFile(StorageLayout.CATALOG_BUILT).isPresent(), "the index is no longer trusted");
        assertEquals(List.of("live/app", refused.value()), pushing.after(Optional.empty(), 10, name -> true));
        CatalogIndex otherNode = new CatalogIndex(picky, Clock.systemUTC());
        assertEquals(List.of("live/app", refused.value()), otherNode.after(Optional.empty(), 10, name -> true));
        assertFalse(driver.statFile(StorageLayout.CATALOG_BUILT).isPresent(), "a build that cannot index all stays unmarked");
    }
}
