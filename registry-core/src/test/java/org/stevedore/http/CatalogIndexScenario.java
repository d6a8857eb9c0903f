package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.utf8;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * The catalog index against the tree it indexes, with two registries over one store: after
 * random pushes, mounts and deletes on both, every page of the catalog from either node agrees
 * with a full walk of the tree; a store written without the index is indexed on first use; a
 * node killed while it updates the index (after the entry, before the link; mid-build) never
 * makes the catalog list a repository that does not exist, and the index stays repairable. A
 * storage module runs it over its own driver by extending it.
 */
public abstract class CatalogIndexScenario {
    private static final List<String> NAMES = List.of("r0", "r1", "r2", "r-3", "r.4", "team/r0", "team/r0/sub",
            "team/r0-x", "team/r1", "zz/deep/a/b");

    /** A new driver over the shared store, one per node. */
    protected abstract StorageDriver newNodeDriver() throws Exception;

    /** Releases a node's driver. */
    protected void closeNodeDriver(StorageDriver driver) throws Exception {
    }

    private final List<KillableDriver> drivers = new ArrayList<>();
    private final List<Registry> nodes = new ArrayList<>();

    private Registry node() throws Exception {
        KillableDriver driver = new KillableDriver(newNodeDriver(), null);
        drivers.add(driver);
        Registry registry = Registry.builder().storage(driver).start();
        nodes.add(registry);
        return registry;
    }

    @AfterEach
    void stop() throws Exception {
        for (Registry node : nodes) node.close();
        for (KillableDriver driver : drivers) closeNodeDriver(driver.delegate());
    }

    @Test
    void agreesWithAFullWalkAfterRandomPushesMountsAndDeletesOnTwoNodes() throws Exception {
        List<RegistryClient> clients = List.of(new RegistryClient(node()), new RegistryClient(node()));
        Map<String, Set<String>> manifests = new ConcurrentHashMap<>(); // repository -> manifest digests
        Map<String, Set<String>> blobs = new ConcurrentHashMap<>();     // repository -> linked blob digests
        AtomicInteger operations = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> runs = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            RegistryClient client = clients.get(n);
            Random random = new Random(22 + n);
            runs.add(pool.submit(() -> {
                for (int i = 0; i < 60; i++) {
                    randomOperation(client, random, manifests, blobs);
                    operations.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> run : runs) run.get();
        pool.shutdown();

        StorageDriver store = drivers.get(0);
        List<String> walked = walk(store);
        assertTrue(walked.size() >= 3, "too few repositories left to compare: " + walked);
        for (String name : walked) {
            assertTrue(store.statFile(StorageLayout.catalogEntry(RepositoryName.of(name))).isPresent(),
                    "a repository in storage without its index entry: " + name);
        }
        for (RegistryClient client : clients) {
            for (int pageSize : new int[] {1, 3, 100}) {
                assertEquals(walked, catalog(client, pageSize), "pages of " + pageSize + " after " + operations + " operations");
            }
        }
    }

    @Test
    void aStoreWrittenWithoutTheIndexIsIndexedOnFirstUse() throws Exception {
        StorageDriver store = newNodeDriver();
        try {
            String link = "sha256:" + "a".repeat(64);
            for (String name : NAMES) {
                String root = StorageLayout.REPOSITORIES + "/" + name;
                // As distribution leaves them: some with manifests, some with blobs only, and uploads.
                if (name.startsWith("r")) store.writeSmall(root + "/_layers/sha256/" + "a".repeat(64) + "/link", utf8(link));
                else store.writeSmall(root + "/_manifests/revisions/sha256/" + "a".repeat(64) + "/link", utf8(link));
            }
            store.writeSmall(StorageLayout.REPOSITORIES + "/only/uploads/_uploads/x/startedat", utf8("2020-01-01T00:00:00Z"));
        } finally {
            closeNodeDriver(store);
        }
        RegistryClient client = new RegistryClient(node());
        List<String> expected = NAMES.stream().sorted().toList();
        assertFalse(drivers.get(0).statFile(StorageLayout.CATALOG_BUILT).isPresent());
        assertEquals(expected, catalog(client, 4));
        assertTrue(drivers.get(0).statFile(StorageLayout.CATALOG_BUILT).isPresent(), "index marked built");
        assertEquals(expected, catalog(new RegistryClient(node()), 1000), "a second node reads the index as it is");
    }

    @Test
    void aNodeKilledBetweenTheEntryAndTheLinkLeavesNoRepositoryListedAndTheIndexRepairable() throws Exception {
        RegistryClient doomed = new RegistryClient(node());
        RegistryClient survivor = new RegistryClient(node());
        survivor.pushImage("kept", "v1", "kept");
        RepositoryName crashed = RepositoryName.of("crashed/app");
        drivers.get(0).killWhenWriting(path -> path.startsWith(StorageLayout.layersDirectory(crashed)));
        HttpResponse<byte[]> push = doomed.post("/v2/crashed/app/blobs/uploads/?digest="
                + RegistryClient.sha256(utf8("lost")), utf8("lost"));
        assertEquals(500, push.statusCode(), () -> RegistryClient.text(push));
        assertTrue(drivers.get(0).killed());

        StorageDriver store = drivers.get(1);
        assertTrue(store.statFile(StorageLayout.catalogEntry(crashed)).isPresent(), "the entry was written first");
        assertEquals(List.of("kept"), walk(store));
        assertEquals(List.of("kept"), catalog(survivor, 1), "an entry without a repository is never listed");
        survivor.pushBlob("crashed/app", utf8("found"));
        assertEquals(List.of("crashed/app", "kept"), catalog(survivor, 1), "the same entry serves the next push");
    }

    @Test
    void aNodeKilledWhileItBuildsTheIndexLeavesItToBeBuiltByTheNext() throws Exception {
        StorageDriver store = newNodeDriver();
        try {
            String link = "sha256:" + "b".repeat(64);
            for (String name : NAMES) {
                store.writeSmall(StorageLayout.REPOSITORIES + "/" + name + "/_layers/sha256/" + "b".repeat(64) + "/link", utf8(link));
            }
        } finally {
            closeNodeDriver(store);
        }
        RegistryClient doomed = new RegistryClient(node());
        AtomicInteger entries = new AtomicInteger();
        drivers.get(0).killWhenWriting(path -> path.startsWith(StorageLayout.CATALOG_ENTRIES) && entries.incrementAndGet() == 4);
        assertEquals(500, doomed.get("/v2/_catalog").statusCode());
        assertFalse(drivers.get(0).delegate().statFile(StorageLayout.CATALOG_BUILT).isPresent(), "not marked built");

        RegistryClient next = new RegistryClient(node());
        assertEquals(NAMES.stream().sorted().toList(), catalog(next, 3));
        assertTrue(drivers.get(1).statFile(StorageLayout.CATALOG_BUILT).isPresent());
    }

    /** One push, mount or delete on a random repository; outcomes of racing deletes may be 404. */
    private static void randomOperation(RegistryClient client, Random random, Map<String, Set<String>> manifests,
                                        Map<String, Set<String>> blobs) {
        String name = NAMES.get(random.nextInt(NAMES.size()));
        int choice = random.nextInt(100);
        if (choice < 30) {
            String seed = name + "-" + random.nextInt(4);
            byte[] manifest = client.pushImage(name, "t" + random.nextInt(3), seed);
            manifests.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(RegistryClient.sha256(manifest));
        } else if (choice < 50) {
            String digest = client.pushBlob(name, utf8("blob " + random.nextInt(6)));
            blobs.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(digest);
        } else if (choice < 70) {
            pick(manifests.get(name), random).ifPresent(digest -> {
                int status = client.delete("/v2/" + name + "/manifests/" + digest).statusCode();
                assertTrue(status == 202 || status == 404, "manifest delete: " + status);
            });
        } else if (choice < 85) {
            pick(blobs.get(name), random).ifPresent(digest -> {
                int status = client.delete("/v2/" + name + "/blobs/" + digest).statusCode();
                assertTrue(status == 202 || status == 404, "blob delete: " + status);
            });
        } else {
            String source = NAMES.get(random.nextInt(NAMES.size()));
            pick(blobs.get(source), random).ifPresent(digest -> {
                int status = client.post("/v2/" + name + "/blobs/uploads/?mount=" + digest + "&from=" + source,
                        new byte[0]).statusCode();
                assertTrue(status == 201 || status == 202, "mount: " + status);
                if (status == 201) blobs.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(digest);
            });
        }
    }

    private static java.util.Optional<String> pick(Set<String> from, Random random) {
        if (from == null || from.isEmpty()) return java.util.Optional.empty();
        List<String> all = new ArrayList<>(from);
        Collections.sort(all);
        return java.util.Optional.of(all.get(random.nextInt(all.size())));
    }

    /** The whole catalog in pages of {@code n}, each asked for after the last name seen. */
    static List<String> catalog(RegistryClient client, int n) {
        List<String> names = new ArrayList<>();
        String last = null;
        while (true) {
            String query = "/v2/_catalog?n=" + n + (last == null ? "" : "&last=" + URLEncoder.encode(last, StandardCharsets.UTF_8));
            HttpResponse<byte[]> response = client.get(query);
            assertEquals(200, response.statusCode(), () -> RegistryClient.text(response));
            List<String> page = new ArrayList<>();
            RegistryClient.json(response.body()).path("repositories").forEach(node -> page.add(node.asText()));
            assertTrue(page.size() <= n);
            names.addAll(page);
            boolean more = response.headers().firstValue("Link").isPresent();
            if (!more) return names;
            assertEquals(n, page.size(), "a page followed by another is full");
            last = page.get(page.size() - 1);
        }
    }

    /** The reference registry's rule, by walking the tree: directories with {@code _manifests} or {@code _layers}. */
    static List<String> walk(StorageDriver driver) throws IOException {
        List<String> names = new ArrayList<>();
        for (String directory : driver.listDirectoriesWithChildStartingWith(StorageLayout.REPOSITORIES, "_").keySet()) {
            Set<String> children = new HashSet<>();
            for (String child : driver.list(directory)) children.add(StorageLayout.fileName(child));
            if (children.contains("_manifests") || children.contains("_layers")) {
                names.add(directory.substring(StorageLayout.REPOSITORIES.length() + 1));
            }
        }
        Collections.sort(names);
        return names;
    }
}
