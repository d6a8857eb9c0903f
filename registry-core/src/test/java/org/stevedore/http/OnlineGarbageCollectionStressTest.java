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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.service.GarbageCollector;

/**
 * Online garbage collection while clients push images sharing layers, skip uploads of blobs the
 * registry has, mount, delete and re-push, with collection running back to back and a short
 * grace period. Afterwards every acknowledged, undeleted manifest pulls completely with verified
 * digests, and a final collection leaves exactly the referenced blobs. Bounded: about 15 s.
 */
class OnlineGarbageCollectionStressTest {
    private static final Duration RUN = Duration.ofSeconds(8);
    private static final int CLIENTS = 6;
    private static final int SHARED_LAYERS = 40;

    /** An acknowledged manifest: where it is tagged, its bytes, and what it references. */
    private record Pushed(String repository, String tag, byte[] manifest, List<String> blobs, String ownLayer) {
    }

    @Test
    void acknowledgedPushesSurviveContinuousCollection() throws Exception {
        try (Registry registry = Registry.builder()
                .garbageCollection(Duration.ofMillis(1), Duration.ofMillis(200)).start()) {
            RegistryClient client = new RegistryClient(registry);
            Map<String, Pushed> live = new ConcurrentHashMap<>();
            AtomicInteger failedPushes = new AtomicInteger();
            AtomicInteger deletes = new AtomicInteger();
            Set<String> unreferencedNow = ConcurrentHashMap.newKeySet();
            long end = System.nanoTime() + RUN.toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                workers.add(pool.submit(() -> {
                    Random random = new Random(id);
                    List<String[]> orphans = new ArrayList<>(); // {repository, layer content} of deleted images
                    int n = 0;
                    while (System.nanoTime() < end) {
                        String repository = "stress/r" + random.nextInt(3);
                        String tag = "c" + id + "-" + n++;
                        int action = random.nextInt(10);
                        List<Pushed> mine = live.values().stream().filter(p -> p.tag().startsWith("c" + id + "-")).toList();
                        if (action < 4 && !mine.isEmpty()) {
                            Pushed victim = mine.get(random.nextInt(mine.size()));
                            // Deleting by digest removes every tag of that manifest (re-pushes included).
                            for (Pushed same : mine) {
                                if (same.repository().equals(victim.repository())
                                        && sha256(same.manifest()).equals(sha256(victim.manifest()))) {
                                    live.remove(same.tag());
                                }
                            }
                            // Its config and own layer (the first and last blob) are used by no other manifest.
                            unreferencedNow.add(victim.blobs().get(0));
                            unreferencedNow.add(victim.blobs().get(victim.blobs().size() - 1));
                            if (!victim.ownLayer().isEmpty()) {
                                orphans.add(new String[] {victim.repository(), victim.ownLayer()});
                            }
                            int status = client.delete("/v2/" + victim.repository() + "/manifests/"
                                    + sha256(victim.manifest())).statusCode();
                            if (status != 202) throw new AssertionError("delete answered " + status);
                            deletes.incrementAndGet();
                        } else if (action < 5 && !mine.isEmpty()) {
                            Pushed again = mine.get(random.nextInt(mine.size()));
                            push(client, again.repository(), tag, again.manifest(), again.blobs(), random, live,
                                    failedPushes);
                        } else if (action < 7 && !orphans.isEmpty()) {
                            // The dangerous case: a blob no manifest references any more, still linked in
                            // its repository, reused by a new manifest after a HEAD says it is there.
                            // Mostly the newest orphan: collectable now, and the collector may be sweeping it.
                            String[] orphan = orphans.get(random.nextInt(4) > 0 ? orphans.size() - 1
                                    : random.nextInt(orphans.size()));
                            List<String> contents = new ArrayList<>();
                            contents.add("{\"client\":" + id + ",\"n\":" + n + "}");
                            contents.add(orphan[1]);
                            contents.add("own layer " + id + "-" + n);
                            push(client, orphan[0], tag, null, contents, random, live, failedPushes);
                        } else {
                            List<String> contents = new ArrayList<>();
                            contents.add("{\"client\":" + id + ",\"n\":" + n + "}");
                            contents.add("shared layer " + random.nextInt(SHARED_LAYERS));
                            contents.add("shared layer " + random.nextInt(SHARED_LAYERS));
                            contents.add("own layer " + id + "-" + n);
                            push(client, repository, tag, null, contents, random, live, failedPushes);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) worker.get();
            pool.shutdown();

            assertTrue(live.size() > 20, "too few pushes to mean anything: " + live.size());
            // The collector really ran alongside: blobs only deleted manifests used are gone already.
            Set<String> collectedMeanwhile = new TreeSet<>(unreferencedNow);
            collectedMeanwhile.removeAll(StoredBlobs.in(registry.storage()));
            assertTrue(!collectedMeanwhile.isEmpty(), "online collection deleted nothing during the run");
            assertTrue(deletes.get() > 5, "too few deletes: " + deletes.get());
            for (Pushed pushed : live.values()) pullsCompletely(client, pushed);

            GarbageCollector.Report last = registry.service().garbageCollector()
                    .run(new GarbageCollector.Options(false, false, Duration.ZERO), line -> { });
            Set<String> referenced = new TreeSet<>();
            for (Pushed pushed : live.values()) {
                referenced.add(sha256(pushed.manifest()));
                referenced.addAll(pushed.blobs());
            }
            assertEquals(referenced, StoredBlobs.in(registry.storage()),
                    "after a final collection exactly the referenced blobs remain; " + last.summary()
                            + "; failed pushes " + failedPushes.get());
            for (Pushed pushed : live.values()) pullsCompletely(client, pushed);
        }
    }

    /**
     * Pushes an image the way clients do: HEAD each blob, upload (or mount from a sibling) what
     * is missing, then PUT the manifest; a manifest refused because collection removed a blob
     * meanwhile is retried from the start, as clients retry.
     */
    private static void push(RegistryClient client, String repository, String tag, byte[] known, List<String> contents,
                             Random random, Map<String, Pushed> live, AtomicInteger failed) {
        for (int attempt = 0; attempt < 5; attempt++) {
            List<String> blobs = new ArrayList<>();
            byte[] manifest = known;
            if (known == null) {
                StringBuilder layers = new StringBuilder();
                for (int i = 0; i < contents.size(); i++) {
                    byte[] bytes = utf8(contents.get(i));
                    blobs.add(ensureBlob(client, repository, bytes, random));
                    if (i > 0) layers.append(layers.length() > 0 ? "," : "")
                            .append(descriptor(OCI_LAYER, sha256(bytes), bytes.length));
                }
                byte[] config = utf8(contents.get(0));
                manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                        + descriptor(OCI_CONFIG, sha256(config), config.length) + ",\"layers\":[" + layers + "]}");
            } else {
                blobs.addAll(contents);
            }
            HttpResponse<byte[]> put = client.put("/v2/" + repository + "/manifests/" + tag, manifest,
                    "Content-Type", OCI_MANIFEST);
            if (put.statusCode() == 201) {
                String own = known == null ? contents.get(contents.size() - 1) : "";
                live.put(tag, new Pushed(repository, tag, manifest, blobs, own));
                return;
            }
            if (put.statusCode() != 400) throw new AssertionError("manifest PUT answered " + RegistryClient.text(put));
            failed.incrementAndGet();
            if (known != null) {
                // A re-push of a known manifest: its blobs may be in another repository; give up quietly.
                return;
            }
        }
    }

    private static String ensureBlob(RegistryClient client, String repository, byte[] bytes, Random random) {
        String digest = sha256(bytes);
        if (client.head("/v2/" + repository + "/blobs/" + digest).statusCode() == 200) return digest;
        if (random.nextBoolean()) {
            String from = "stress/r" + random.nextInt(3);
            HttpResponse<byte[]> mounted = client.post("/v2/" + repository + "/blobs/uploads/?mount=" + digest
                    + "&from=" + from, new byte[0]);
            if (mounted.statusCode() == 201) return digest;
        }
        HttpResponse<byte[]> pushed = client.post("/v2/" + repository + "/blobs/uploads/?digest=" + digest, bytes);
        if (pushed.statusCode() != 201) throw new AssertionError("upload answered " + RegistryClient.text(pushed));
        return digest;
    }

    private static void pullsCompletely(RegistryClient client, Pushed pushed) {
        HttpResponse<byte[]> manifest = client.get("/v2/" + pushed.repository() + "/manifests/" + pushed.tag());
        assertEquals(200, manifest.statusCode(), pushed.repository() + ":" + pushed.tag());
        assertArrayEquals(pushed.manifest(), manifest.body());
        for (String blob : pushed.blobs()) {
            HttpResponse<byte[]> response = client.get("/v2/" + pushed.repository() + "/blobs/" + blob);
            assertEquals(200, response.statusCode(), () -> pushed.repository() + ":" + pushed.tag() + " lost " + blob);
            assertEquals(blob, sha256(response.body()));
        }
    }
}
