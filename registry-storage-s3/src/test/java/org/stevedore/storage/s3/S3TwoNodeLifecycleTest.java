package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.storage.s3.S3Http.header;
import static org.stevedore.storage.s3.S3Http.send;
import static org.stevedore.storage.s3.S3Http.text;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.model.Digest;
import org.stevedore.registry.Registry;
import org.stevedore.service.GarbageCollector;

/**
 * Deletes and garbage collection with two nodes over one bucket: what node A deletes is gone on
 * node B at once, and online collection on one node while the other pushes loses nothing that an
 * acknowledged push references (the other node's uploads are protected by the use times they
 * record in the bucket, since the collector's locks are per process).
 */
class S3TwoNodeLifecycleTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** Longer than any push here takes, plus S3's one-second resolution of modification times. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private S3Driver driverA;
    private S3Driver driverB;
    private Registry nodeA;
    private Registry nodeB;

    @BeforeEach
    void startTwoNodes() {
        S3DriverSettings settings = S3.settings().withRedirect(false);
        driverA = S3Driver.create(settings);
        driverB = S3Driver.create(settings);
        nodeA = Registry.builder().storage(driverA).start();
        nodeB = Registry.builder().storage(driverB).start();
    }

    @AfterEach
    void stop() {
        nodeA.close();
        nodeB.close();
        driverA.close();
        driverB.close();
    }

    /** An image pushed through HTTP: its manifest and every blob it names. */
    private record Pushed(String repository, String tag, String manifest, String manifestDigest, List<String> blobs,
                          List<byte[]> contents) {
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Pushed push(Registry node, String repository, String tag, byte[]... layers) {
        List<String> blobs = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        byte[] config = ("{\"tag\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8);
        blobs.add(S3Http.pushBlob(node, repository, config));
        contents.add(config);
        StringBuilder layerJson = new StringBuilder();
        for (byte[] layer : layers) {
            String digest = S3Http.pushBlob(node, repository, layer);
            blobs.add(digest);
            contents.add(layer);
            if (layerJson.length() > 0) layerJson.append(',');
            layerJson.append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"").append(digest)
                    .append("\",\"size\":").append(layer.length).append('}');
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blobs.get(0) + "\",\"size\":"
                + config.length + "},\"layers\":[" + layerJson + "]}";
        HttpResponse<byte[]> put = send(node, "PUT", "/v2/" + repository + "/manifests/" + tag,
                manifest.getBytes(StandardCharsets.UTF_8), "Content-Type", OCI_MANIFEST);
        assertEquals(201, put.statusCode(), () -> "push of " + repository + ":" + tag + ": " + text(put));
        return new Pushed(repository, tag, manifest, header(put, "Docker-Content-Digest"), blobs, contents);
    }

    /** The image pulls completely from {@code node}: manifest by tag, every blob with its bytes. */
    private static void assertPulls(Registry node, Pushed image) {
        HttpResponse<byte[]> manifest = send(node, "GET", "/v2/" + image.repository() + "/manifests/" + image.tag(),
                new byte[0], "Accept", OCI_MANIFEST);
        assertEquals(200, manifest.statusCode(), () -> image.repository() + ":" + image.tag() + " " + text(manifest));
        assertEquals(image.manifest(), new String(manifest.body(), StandardCharsets.UTF_8));
        for (int i = 0; i < image.blobs().size(); i++) {
            String digest = image.blobs().get(i);
            HttpResponse<byte[]> blob = send(node, "GET", "/v2/" + image.repository() + "/blobs/" + digest, new byte[0]);
            assertEquals(200, blob.statusCode(), () -> "blob " + digest + " of " + image.tag() + ": " + text(blob));
            assertArrayEquals(image.contents().get(i), blob.body());
        }
    }

    private static int status(Registry node, String method, String path) {
        return send(node, method, path, new byte[0], "Accept", OCI_MANIFEST).statusCode();
    }

    @Test
    void deletesOnOneNodeAreSeenOnTheOtherAtOnce() throws Exception {
        Pushed kept = push(nodeA, "team/app", "kept", random(1000, 1));
        Pushed doomed = push(nodeA, "team/app", "doomed", random(1000, 2));
        assertPulls(nodeB, doomed);

        // A deletes a manifest by digest: B answers 404 for it by digest and by tag, and drops the tag.
        assertEquals(202, status(nodeA, "DELETE", "/v2/team/app/manifests/" + doomed.manifestDigest()));
        assertEquals(404, status(nodeB, "GET", "/v2/team/app/manifests/" + doomed.manifestDigest()));
        assertEquals(404, status(nodeB, "GET", "/v2/team/app/manifests/doomed"));
        String tags = new String(send(nodeB, "GET", "/v2/team/app/tags/list", new byte[0]).body(), StandardCharsets.UTF_8);
        assertFalse(tags.contains("\"doomed\""), tags);
        assertTrue(tags.contains("\"kept\""), tags);

        // B deletes a tag: A no longer resolves it, the manifest stays reachable by digest.
        assertEquals(202, status(nodeB, "DELETE", "/v2/team/app/manifests/kept"));
        assertEquals(404, status(nodeA, "GET", "/v2/team/app/manifests/kept"));
        assertEquals(200, status(nodeA, "GET", "/v2/team/app/manifests/" + kept.manifestDigest()));

        // A deletes a blob link: A answers 404 at once; B, which remembers the link it saw for
        // at most the presence cache's time-to-live, within that bound.
        String layer = doomed.blobs().get(1);
        assertEquals(202, status(nodeA, "DELETE", "/v2/team/app/blobs/" + layer));
        long deleted = System.nanoTime();
        assertEquals(404, status(nodeA, "HEAD", "/v2/team/app/blobs/" + layer));
        assertEquals(404, status(nodeA, "GET", "/v2/team/app/blobs/" + layer));
        Duration bound = S3Driver.PRESENCE_CACHE_TTL.plusSeconds(1);
        while (status(nodeB, "HEAD", "/v2/team/app/blobs/" + layer) != 404) {
            assertTrue(System.nanoTime() - deleted < bound.toNanos(), "B still serves a blob deleted on A after " + bound);
            Thread.sleep(50); // polling interval
        }
        assertEquals(404, status(nodeB, "GET", "/v2/team/app/blobs/" + layer));
    }

    @Test
    void blobBytesGoneWhileRememberedFailCleanly() throws Exception {
        Pushed image = push(nodeA, "team/app", "v1", random(1000, 7));
        String layer = image.blobs().get(1);
        assertEquals(200, status(nodeB, "HEAD", "/v2/team/app/blobs/" + layer)); // B now remembers link and size

        // The bytes vanish behind B's back, as when another node's collector deletes them.
        driverA.delete(org.stevedore.storage.layout.StorageLayout.blobDirectory(Digest.parse(layer)));
        HttpResponse<byte[]> get = send(nodeB, "GET", "/v2/team/app/blobs/" + layer, new byte[0]);
        assertEquals(404, get.statusCode(), () -> text(get));
        assertTrue(text(get).contains("BLOB_UNKNOWN"), () -> text(get));
        // The failed read made B forget the bytes: a HEAD asks storage again.
        assertEquals(404, status(nodeB, "HEAD", "/v2/team/app/blobs/" + layer));
    }

    @Test
    void collectionOnOneNodeWhileTheOtherPushesLosesNothingReferenced() throws Exception {
        byte[] shared = random(4096, 3);
        Pushed before = push(nodeB, "team/base", "v1", shared, random(2048, 4));
        String garbage = S3Http.pushBlob(nodeB, "team/base", random(3000, 5)); // uploaded, never referenced

        // Quiet store, no grace: A's collection deletes exactly B's unreferenced upload.
        GarbageCollector.Report first = nodeA.service().garbageCollector()
                .run(new GarbageCollector.Options(false, false, Duration.ZERO), line -> { });
        assertEquals(java.util.Set.of(Digest.parse(garbage)), first.deletedBlobs(), first.summary());
        assertEquals(404, status(nodeB, "GET", "/v2/team/base/blobs/" + garbage));
        assertPulls(nodeB, before);

        // Collection back to back on A while B pushes images sharing a layer with the first one.
        AtomicBoolean pushing = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Void> collector = CompletableFuture.runAsync(() -> {
            try {
                GarbageCollector.Options online = new GarbageCollector.Options(false, false, GRACE);
                while (pushing.get()) {
                    nodeA.service().garbageCollector().run(online, line -> { });
                    runs.incrementAndGet();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<Pushed> pushed = new ArrayList<>();
        try {
            for (int i = 0; i < 6 || runs.get() < 3; i++) {
                if (i >= 40) break; // bounded, whatever the collector's pace
                pushed.add(push(nodeB, "team/app" + (i % 2), "v" + i, shared, random(1500 + i, 100 + i)));
            }
        } finally {
            pushing.set(false);
        }
        collector.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(runs.get() >= 3, "collections overlapping the pushes: " + runs.get());

        // Then a quiescent collection without grace: whatever it deletes, every acknowledged image pulls from both nodes.
        GarbageCollector.Report last = nodeA.service().garbageCollector()
                .run(new GarbageCollector.Options(false, false, Duration.ZERO), line -> { });
        assertEquals(0, last.blobsDeleted(), "nothing unreferenced was left: " + last.summary());
        pushed.add(before);
        for (Pushed image : pushed) {
            assertPulls(nodeA, image);
            assertPulls(nodeB, image);
        }
    }
}
