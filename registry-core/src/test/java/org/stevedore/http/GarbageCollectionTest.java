package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.OCI_CONFIG;
import static org.stevedore.http.RegistryClient.OCI_INDEX;
import static org.stevedore.http.RegistryClient.OCI_LAYER;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.descriptor;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stevedore.model.Digest;
import org.stevedore.registry.Registry;
import org.stevedore.service.GarbageCollector;

/**
 * Offline garbage collection with distribution's result: unreferenced blobs go, shared and
 * referenced ones stay; a dry run deletes nothing; {@code deleteUntagged} removes manifests no tag
 * reaches but keeps index children and referrers of kept manifests.
 */
class GarbageCollectionTest {
    private Registry registry;
    private RegistryClient client;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void start() {
        registry = Registry.builder().start();
        client = new RegistryClient(registry);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** An image with its own config and layer plus {@code shared}; returns the manifest bytes. */
    private byte[] image(String name, String reference, String seed, byte[] shared) {
        byte[] config = utf8("{\"seed\":\"" + seed + "\"}");
        byte[] own = utf8("own layer " + seed);
        String configDigest = client.pushBlob(name, config);
        String ownDigest = client.pushBlob(name, own);
        String sharedDigest = client.pushBlob(name, shared);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor(OCI_CONFIG, configDigest, config.length) + ",\"layers\":["
                + descriptor(OCI_LAYER, sharedDigest, shared.length) + ","
                + descriptor(OCI_LAYER, ownDigest, own.length) + "]}");
        client.pushManifest(name, reference, OCI_MANIFEST, manifest);
        return manifest;
    }

    private GarbageCollector.Report collect(boolean dryRun, boolean deleteUntagged) throws IOException {
        return registry.service().garbageCollector()
                .run(new GarbageCollector.Options(dryRun, deleteUntagged, Duration.ZERO), progress::add);
    }

    private boolean stored(String digest) throws IOException {
        return registry.service().blobs().findStored(Digest.parse(digest)).isPresent();
    }

    @Test
    void deletedImageLosesItsOwnBlobsButNotTheSharedLayer() throws IOException {
        byte[] shared = utf8("shared base layer");
        byte[] kept = image("gc/app", "kept", "kept", shared);
        byte[] dropped = image("gc/app", "dropped", "dropped", shared);
        String droppedConfig = sha256(utf8("{\"seed\":\"dropped\"}"));
        String droppedLayer = sha256(utf8("own layer dropped"));
        assertEquals(202, client.delete("/v2/gc/app/manifests/" + sha256(dropped)).statusCode());

        GarbageCollector.Report report = collect(false, false);

        assertEquals(Set.of(Digest.parse(sha256(dropped)), Digest.parse(droppedConfig), Digest.parse(droppedLayer)),
                report.deletedBlobs());
        assertEquals(3, report.blobsDeleted());
        assertTrue(report.bytesFreed() > dropped.length);
        assertTrue(stored(sha256(shared)));
        pullsCompletely("gc/app", "kept", kept);
        assertTrue(progress.contains("blob eligible for deletion: " + droppedLayer), progress.toString());
        assertTrue(progress.contains("gc/app: marking manifest " + sha256(kept)), progress.toString());
    }

    @Test
    void dryRunDeletesNothing() throws IOException {
        byte[] dropped = image("gc/dry", "v1", "dry", utf8("dry shared"));
        String orphan = client.pushBlob("gc/dry", utf8("never referenced"));
        assertEquals(202, client.delete("/v2/gc/dry/manifests/v1").statusCode());

        GarbageCollector.Report report = collect(true, true);

        assertEquals(1, report.manifestsDeleted());
        assertTrue(report.deletedBlobs().contains(Digest.parse(orphan)));
        assertTrue(stored(orphan));
        assertEquals(200, client.get("/v2/gc/dry/manifests/" + sha256(dropped)).statusCode());
        assertEquals(200, client.get("/v2/gc/dry/blobs/" + orphan).statusCode());
    }

    @Test
    void deleteUntaggedRemovesTheManifestAnOverwrittenTagLeft() throws IOException {
        byte[] shared = utf8("untagged shared");
        byte[] old = image("gc/retag", "v1", "old", shared);
        byte[] current = image("gc/retag", "v1", "new", shared);

        GarbageCollector.Report keepAll = collect(false, false);
        assertEquals(0, keepAll.blobsDeleted());
        assertEquals(200, client.get("/v2/gc/retag/manifests/" + sha256(old)).statusCode());

        GarbageCollector.Report report = collect(false, true);

        assertEquals(1, report.manifestsDeleted());
        assertEquals(1, report.manifestsKept());
        RegistryClient.assertError(client.get("/v2/gc/retag/manifests/" + sha256(old)), 404, "MANIFEST_UNKNOWN");
        assertTrue(report.deletedBlobs().contains(Digest.parse(sha256(old))));
        assertTrue(report.deletedBlobs().contains(Digest.parse(sha256(utf8("own layer old")))));
        pullsCompletely("gc/retag", "v1", current);
        assertTrue(stored(sha256(shared)));
    }

    @Test
    void multiPlatformIndexAndItsSignatureSurviveDeleteUntagged() throws IOException {
        byte[] shared = utf8("platform shared");
        byte[] amd64 = image("gc/multi", sha256Of("amd64", shared), "amd64", shared);
        byte[] arm64 = image("gc/multi", sha256Of("arm64", shared), "arm64", shared);
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + descriptor(OCI_MANIFEST, sha256(amd64), amd64.length) + ","
                + descriptor(OCI_MANIFEST, sha256(arm64), arm64.length) + "]}");
        client.pushManifest("gc/multi", "latest", OCI_INDEX, index);
        String signature = ReferrersTest.pushReferrer(client, "gc/multi", sha256(index),
                Optional.of("application/vnd.example.signature"), ReferrersTest.EMPTY_CONFIG, "sig");
        byte[] stray = image("gc/multi", sha256Of("stray", shared), "stray", shared);

        GarbageCollector.Report report = collect(false, true);

        assertEquals(1, report.manifestsDeleted(), progress.toString());
        assertEquals(4, report.manifestsKept());
        RegistryClient.assertError(client.get("/v2/gc/multi/manifests/" + sha256(stray)), 404, "MANIFEST_UNKNOWN");
        assertArrayEquals(index, client.get("/v2/gc/multi/manifests/latest").body());
        pullsCompletely("gc/multi", sha256(amd64), amd64);
        pullsCompletely("gc/multi", sha256(arm64), arm64);
        byte[] sig = client.get("/v2/gc/multi/manifests/" + signature).body();
        assertEquals(signature, sha256(sig));
        for (var layer : RegistryClient.json(sig).path("layers")) {
            assertEquals(200, client.get("/v2/gc/multi/blobs/" + layer.path("digest").asText()).statusCode());
        }
        assertEquals(Set.of(signature), ReferrersTest.digests(RegistryClient.json(
                client.get("/v2/gc/multi/referrers/" + sha256(index)).body())));
    }

    /** The digest the image for {@code seed} will have: push by digest needs it up front. */
    private String sha256Of(String seed, byte[] shared) {
        byte[] config = utf8("{\"seed\":\"" + seed + "\"}");
        byte[] own = utf8("own layer " + seed);
        return sha256(utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor(OCI_CONFIG, sha256(config), config.length) + ",\"layers\":["
                + descriptor(OCI_LAYER, sha256(shared), shared.length) + ","
                + descriptor(OCI_LAYER, sha256(own), own.length) + "]}"));
    }

    private void pullsCompletely(String name, String reference, byte[] manifest) {
        var pulled = client.get("/v2/" + name + "/manifests/" + reference);
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(manifest, pulled.body());
        var root = RegistryClient.json(manifest);
        List<String> blobs = new ArrayList<>();
        blobs.add(root.path("config").path("digest").asText());
        root.path("layers").forEach(l -> blobs.add(l.path("digest").asText()));
        for (String blob : blobs) {
            var response = client.get("/v2/" + name + "/blobs/" + blob);
            assertEquals(200, response.statusCode(), blob);
            assertEquals(blob, sha256(response.body()));
        }
    }
}
