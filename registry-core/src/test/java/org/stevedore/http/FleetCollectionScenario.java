package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.OCI_CONFIG;
import static org.stevedore.http.RegistryClient.OCI_LAYER;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.descriptor;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.service.GarbageCollector;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;

/**
 * A fleet of registries over one shared store, each with online collection on at a short
 * interval, while clients push images sharing layers to every node, delete, re-push and mount;
 * halfway, the node holding the collection lease is killed mid-sweep. Then: collections never
 * overlapped (one lease holder at a time, the killed one aside), their number is one fleet's
 * worth (about one per interval, not one per node), another node collected within a lease of the
 * kill, every acknowledged, undeleted image pulls from every surviving node with verified
 * digests, a final collection leaves exactly the referenced blobs, and the catalog index, having
 * lost an entry, matches a full walk again after the next collection. Each backend module runs
 * it over its store; bounded to about half a minute.
 */
public abstract class FleetCollectionScenario {
    private static final int NODES = 3;
    private static final int CLIENTS = 4;
    private static final int SHARED_LAYERS = 30;
    private static final Duration INTERVAL = Duration.ofMillis(400);

    /** A new driver over the shared store, one per node. */
    protected abstract StorageDriver newNodeDriver() throws Exception;

    /** Longer than any push takes here (plus the store's resolution of modification times). */
    protected abstract Duration gracePeriod();

    /** How long clients push and delete; the lease holder is killed in the second half. */
    protected Duration run() {
        return Duration.ofSeconds(16);
    }

    /** The collection lease: longer than any one step of a collection takes on a busy machine. */
    protected Duration lease() {
        return Duration.ofSeconds(4);
    }

    /** Releases a node's driver. */
    protected void closeNodeDriver(StorageDriver driver) throws Exception {
    }

    /** An image a client pushed: its tags, its bytes and what it references. */
    private record Pushed(String repository, Set<String> tags, byte[] manifest, List<String> blobs) {
    }

    private final List<KillableDriver> drivers = new ArrayList<>();
    private final List<Registry> nodes = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicReference<KillableDriver> holder = new AtomicReference<>();
    private final Map<KillableDriver, Long> acquiredAt = new ConcurrentHashMap<>();
    private final AtomicLong busyNanos = new AtomicLong();
    private final List<String> overlaps = new CopyOnWriteArrayList<>();
    private final AtomicLong firstRunAfterKill = new AtomicLong();
    private long fleetStart;

    @Test
    void oneCollectionAtATimeAcrossTheFleetLosesNothing() throws Exception {
        KillableDriver.LeaseEvents events = new KillableDriver.LeaseEvents() {
            @Override
            public void acquired(KillableDriver node, String generation) {
                acquiredAt.put(node, System.nanoTime());
                KillableDriver previous = holder.getAndSet(node);
                if (previous != null && !previous.killed()) overlaps.add("generation " + generation + " taken while held");
            }

            @Override
            public void finished(KillableDriver node, String generation) {
                busyNanos.addAndGet(System.nanoTime() - acquiredAt.get(node));
                if (!holder.compareAndSet(node, null)) overlaps.add("generation " + generation + " finished by a non-holder");
            }
        };
        fleetStart = System.nanoTime();
        for (int i = 0; i < NODES; i++) {
            StorageDriver shared = newNodeDriver();
            KillableDriver driver = new KillableDriver(shared, events);
            drivers.add(driver);
            nodes.add(Registry.builder().storage(driver)
                    .garbageCollection(INTERVAL, gracePeriod()).garbageCollectionLease(lease())
                    .garbageCollectionListener(report -> {
                        runs.incrementAndGet();
                        if (drivers.stream().anyMatch(KillableDriver::killed)) firstRunAfterKill.compareAndSet(0, System.nanoTime());
                    }).start());
        }
        try {
            exercise();
        } finally {
            for (Registry node : nodes) node.close();
            for (KillableDriver driver : drivers) closeNodeDriver(driver.delegate());
        }
    }

    private void exercise() throws Exception {
        List<RegistryClient> clients = nodes.stream().map(RegistryClient::new).toList();
        assertEquals(List.of(), CatalogIndexScenario.catalog(clients.get(0), 100), "an empty store; the index is built");
        Map<String, Pushed> live = new ConcurrentHashMap<>();
        List<Pushed> uncertain = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        long end = start + run().toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int id = c;
            workers.add(pool.submit(() -> {
                Random random = new Random(id);
                int n = 0;
                while (System.nanoTime() < end) {
                    int node = liveNode(random);
                    String tag = "c" + id + "-" + n++;
                    List<Pushed> mine = live.values().stream().filter(p -> p.tags().iterator().next().startsWith("c" + id + "-")).toList();
                    int action = random.nextInt(10);
                    try {
                        if (action < 3 && !mine.isEmpty()) {
                            delete(clients.get(node), mine.get(random.nextInt(mine.size())), live, uncertain, node);
                        } else if (action < 4 && !mine.isEmpty()) {
                            Pushed again = mine.get(random.nextInt(mine.size()));
                            pushManifest(clients.get(node), again.repository(), tag, again.manifest(), again.blobs(), live, node, uncertain);
                        } else {
                            List<String> contents = List.of("{\"client\":" + id + ",\"n\":" + n + "}",
                                    "shared layer " + random.nextInt(SHARED_LAYERS), "own layer " + id + "-" + n);
                            push(clients.get(node), "fleet/r" + random.nextInt(3), tag, contents, random, live, node, uncertain);
                        }
                    } catch (RuntimeException e) {
                        if (!drivers.get(node).killed()) throw e; // the node died under the request: nothing acknowledged
                    }
                }
                return null;
            }));
        }
        // Halfway, kill the lease holder during its sweep, when it lists a blob prefix directory.
        Thread.sleep(run().toMillis() / 2);
        Random victimPicker = new Random(42);
        for (KillableDriver driver : drivers) {
            driver.killWhenListing(path -> path.startsWith(StorageLayout.BLOBS + "/sha256/") && victimPicker.nextInt(4) == 0
                    && drivers.stream().noneMatch(KillableDriver::killed));
        }
        for (Future<?> worker : workers) worker.get();
        pool.shutdown();
        for (KillableDriver driver : drivers) driver.killWhenListing(path -> false);
        int fleetRuns = runs.get();
        double busy = busyNanos.get() / 1e9;
        double seconds = (System.nanoTime() - fleetStart) / 1e9;
        int killedNode = -1;
        for (int i = 0; i < NODES; i++) if (drivers.get(i).killed()) killedNode = i;
        assertTrue(killedNode >= 0, "no lease holder was killed mid-sweep");
        nodes.get(killedNode).close();

        System.out.printf("fleet: %d collections by %d nodes, %.1f s collecting in %.1f s; node %d killed mid-sweep at %.1f s;"
                        + " %d images acknowledged%n", fleetRuns, NODES, busy, seconds, killedNode,
                (drivers.get(killedNode).killedAtNanos() - fleetStart) / 1e9, live.size());
        assertEquals(List.of(), overlaps, "two collections ran at once");
        // Runs are serial and each waits an interval after the last one finished: together they
        // fit in the wall time once. Uncoordinated, each node would fill it on its own.
        double fleetTime = busy + Math.max(0, fleetRuns - 1) * INTERVAL.toMillis() / 1000.0;
        assertTrue(fleetRuns >= 1 && fleetTime <= seconds + 0.5, fleetRuns + " collections (" + busy + " s collecting) in "
                + seconds + " s by " + NODES + " nodes collecting every " + INTERVAL + ": more than one fleet's worth");
        assertTakenOverAfterTheLease(drivers.get(killedNode));
        assertTrue(live.size() >= 3, "too few pushes to mean anything: " + live.size());

        List<RegistryClient> survivors = new ArrayList<>();
        for (int i = 0; i < NODES; i++) if (i != killedNode) survivors.add(clients.get(i));
        Set<String> referenced = new TreeSet<>();
        List<Pushed> kept = new ArrayList<>(live.values());
        for (Pushed maybe : uncertain) { // cut short by the kill: kept if its manifest is there
            if (survivors.get(0).get("/v2/" + maybe.repository() + "/manifests/" + sha256(maybe.manifest())).statusCode() == 200) {
                kept.add(new Pushed(maybe.repository(), Set.of(sha256(maybe.manifest())), maybe.manifest(), maybe.blobs()));
            }
        }
        for (Pushed pushed : kept) {
            referenced.add(sha256(pushed.manifest()));
            referenced.addAll(pushed.blobs());
            for (RegistryClient client : survivors) pullsCompletely(client, pushed);
        }
        Registry survivor = nodes.get(killedNode == 0 ? 1 : 0);
        GarbageCollector.Report last = survivor.service().garbageCollector()
                .run(new GarbageCollector.Options(false, false, Duration.ZERO), line -> { });
        assertEquals(referenced, StoredBlobs.in(survivor.storage()), "after a final collection exactly the referenced blobs remain; "
                + last.summary());
        for (Pushed pushed : kept) pullsCompletely(survivors.get(1), pushed);
        catalogMatchesTheWalkOnceRepaired(survivor, survivors);
    }

    /**
     * The catalog index against a full walk, from every surviving node, after the index lost an
     * entry (as a store restored from a backup may): the next online collection's reconcile pass
     * writes it back, whoever holds the lease.
     */
    private void catalogMatchesTheWalkOnceRepaired(Registry survivor, List<RegistryClient> survivors) throws Exception {
        List<String> walked = CatalogIndexScenario.walk(survivor.storage());
        assertTrue(!walked.isEmpty(), "no repository left to list");
        survivor.storage().delete(StorageLayout.catalogEntry(org.stevedore.model.RepositoryName.of(walked.get(0))));
        int before = runs.get();
        long deadline = System.nanoTime() + lease().plusSeconds(60).toNanos();
        while (runs.get() < before + 2 && System.nanoTime() < deadline) Thread.sleep(50); // bounded: two more collections
        assertTrue(runs.get() >= before + 2, "the surviving nodes stopped collecting");
        for (RegistryClient client : survivors) {
            assertEquals(walked, CatalogIndexScenario.catalog(client, 1), "the catalog in pages of one against a full walk");
        }
    }

    /**
     * The killed holder's lease kept the others out until it expired (a lease after it was taken,
     * at the earliest: renewals only extend it), and no longer than that (plus an interval and a
     * run on a busy machine).
     */
    private void assertTakenOverAfterTheLease(KillableDriver killed) throws InterruptedException {
        long deadline = killed.killedAtNanos() + lease().plusSeconds(60).toNanos();
        while (firstRunAfterKill.get() == 0 && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(firstRunAfterKill.get() != 0, "no collection completed after the lease holder was killed");
        double after = (firstRunAfterKill.get() - acquiredAt.get(killed)) / 1e9;
        assertTrue(after >= lease().toMillis() / 1000.0, "another node collected " + after
                + " s after the killed holder took its lease, inside the lease");
    }

    private int liveNode(Random random) {
        for (;;) {
            int node = random.nextInt(NODES);
            if (!drivers.get(node).killed()) return node;
        }
    }

    private void delete(RegistryClient client, Pushed victim, Map<String, Pushed> live, List<Pushed> uncertain, int node) {
        live.remove(sha256(victim.manifest()) + "@" + victim.repository());
        int status = client.delete("/v2/" + victim.repository() + "/manifests/" + sha256(victim.manifest())).statusCode();
        if (status == 202) return;
        if (!drivers.get(node).killed()) throw new AssertionError("delete answered " + status);
        uncertain.add(victim);
    }

    /** HEAD each blob, upload (or mount from a sibling) what is missing, PUT the manifest; retried as clients retry. */
    private void push(RegistryClient client, String repository, String tag, List<String> contents, Random random,
                      Map<String, Pushed> live, int node, List<Pushed> uncertain) {
        for (int attempt = 0; attempt < 5; attempt++) {
            List<String> blobs = new ArrayList<>();
            StringBuilder layers = new StringBuilder();
            for (int i = 0; i < contents.size(); i++) {
                byte[] bytes = utf8(contents.get(i));
                blobs.add(ensureBlob(client, repository, bytes, random, node));
                if (i > 0) layers.append(layers.length() > 0 ? "," : "").append(descriptor(OCI_LAYER, sha256(bytes), bytes.length));
            }
            byte[] config = utf8(contents.get(0));
            byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                    + descriptor(OCI_CONFIG, sha256(config), config.length) + ",\"layers\":[" + layers + "]}");
            if (pushManifest(client, repository, tag, manifest, blobs, live, node, uncertain)) return;
        }
    }

    private boolean pushManifest(RegistryClient client, String repository, String tag, byte[] manifest, List<String> blobs,
                                 Map<String, Pushed> live, int node, List<Pushed> uncertain) {
        HttpResponse<byte[]> put;
        try {
            put = client.put("/v2/" + repository + "/manifests/" + tag, manifest, "Content-Type", OCI_MANIFEST);
        } catch (RuntimeException e) {
            if (drivers.get(node).killed()) uncertain.add(new Pushed(repository, Set.of(tag), manifest, blobs));
            throw e;
        }
        if (put.statusCode() == 201) {
            live.merge(sha256(manifest) + "@" + repository, new Pushed(repository, Set.of(tag), manifest, blobs),
                    (a, b) -> new Pushed(repository, union(a.tags(), b.tags()), manifest, blobs));
            return true;
        }
        if (drivers.get(node).killed()) {
            uncertain.add(new Pushed(repository, Set.of(tag), manifest, blobs));
            throw new IllegalStateException("node killed");
        }
        if (put.statusCode() != 400) throw new AssertionError("manifest PUT answered " + RegistryClient.text(put));
        return false; // a blob was collected between its HEAD and the PUT: the client pushes again
    }

    private String ensureBlob(RegistryClient client, String repository, byte[] bytes, Random random, int node) {
        String digest = sha256(bytes);
        if (client.head("/v2/" + repository + "/blobs/" + digest).statusCode() == 200) return digest;
        if (random.nextBoolean()) {
            HttpResponse<byte[]> mounted = client.post("/v2/" + repository + "/blobs/uploads/?mount=" + digest
                    + "&from=fleet/r" + random.nextInt(3), new byte[0]);
            if (mounted.statusCode() == 201) return digest;
        }
        HttpResponse<byte[]> pushed = client.post("/v2/" + repository + "/blobs/uploads/?digest=" + digest, bytes);
        if (pushed.statusCode() != 201) {
            if (drivers.get(node).killed()) throw new IllegalStateException("node killed");
            throw new AssertionError("upload answered " + RegistryClient.text(pushed));
        }
        return digest;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static void pullsCompletely(RegistryClient client, Pushed pushed) {
        for (String reference : pushed.tags()) {
            HttpResponse<byte[]> manifest = client.get("/v2/" + pushed.repository() + "/manifests/" + reference);
            assertEquals(200, manifest.statusCode(), pushed.repository() + ":" + reference);
            assertArrayEquals(pushed.manifest(), manifest.body());
        }
        for (String blob : pushed.blobs()) {
            HttpResponse<byte[]> response = client.get("/v2/" + pushed.repository() + "/blobs/" + blob);
            assertEquals(200, response.statusCode(), () -> pushed.repository() + ":" + pushed.tags() + " lost " + blob);
            assertEquals(blob, sha256(response.body()));
        }
    }
}
