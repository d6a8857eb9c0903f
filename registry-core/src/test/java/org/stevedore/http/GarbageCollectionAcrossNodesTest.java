package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.OCI_CONFIG;
import static org.stevedore.http.RegistryClient.OCI_LAYER;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.descriptor;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stevedore.model.Digest;
import org.stevedore.registry.Registry;
import org.stevedore.service.GarbageCollector;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * Online collection on node A while node B, over the same storage but with its own locks (another
 * process), starts using a blob at the worst moment: after A found it unused and just before A
 * removes its bytes. B's acknowledged push must survive; nothing may be left behind.
 */
class GarbageCollectionAcrossNodesTest {
    private final InMemoryDriver store = InMemoryDriver.create();
    /** Runs once, just before node A first moves or deletes anything of the watched blob. */
    private IntSupplier beforeRemoval;
    private String watched;
    private final AtomicInteger raceStatus = new AtomicInteger(-1);
    private Registry nodeA;
    private Registry nodeB;
    private RegistryClient clientB;
    private final List<String> progress = new ArrayList<>();

    private final byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
    private final byte[] keptLayer = utf8("layer of the kept image");
    private final byte[] layer = utf8("layer whose image was deleted");

    @BeforeEach
    void start() {
        nodeA = Registry.builder().storage(racingStore()).start();
        nodeB = Registry.builder().storage(store).start();
        clientB = new RegistryClient(nodeB);
    }

    @AfterEach
    void stop() {
        nodeA.close();
        nodeB.close();
    }

    /** The store as node A sees it: the same bytes, with the race injected into A's removals. */
    private StorageDriver racingStore() {
        return (StorageDriver) Proxy.newProxyInstance(StorageDriver.class.getClassLoader(), new Class<?>[] {StorageDriver.class},
                (proxy, method, args) -> {
                    boolean removal = method.getName().equals("move") || method.getName().equals("delete");
                    if (removal && watched != null && ((String) args[0]).startsWith(watched) && beforeRemoval != null) {
                        IntSupplier race = beforeRemoval;
                        beforeRemoval = null;
                        raceStatus.set(race.getAsInt());
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private byte[] manifest(byte[] layerBytes) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor(OCI_CONFIG, sha256(config), config.length) + ",\"layers\":["
                + descriptor(OCI_LAYER, sha256(layerBytes), layerBytes.length) + "]}");
    }

    /** app:kept stays; app's second image is pushed and deleted, so its layer is referenced by nothing. */
    private void imageDeletedFromApp() {
        clientB.pushBlob("app", config);
        clientB.pushBlob("app", keptLayer);
        clientB.pushBlob("app", layer);
        clientB.pushManifest("app", "kept", OCI_MANIFEST, manifest(keptLayer));
        String dropped = clientB.pushManifest("app", "dropped", OCI_MANIFEST, manifest(layer));
        assertEquals(202, clientB.delete("/v2/app/manifests/" + dropped).statusCode());
        watched = StorageLayout.blobDirectory(Digest.parse(sha256(layer)));
    }

    private GarbageCollector.Report collectOnNodeA() throws IOException {
        return nodeA.service().garbageCollector().run(new GarbageCollector.Options(false, false, Duration.ZERO), progress::add);
    }

    private void layerPullsFromBothNodes() {
        for (Registry node : List.of(nodeA, nodeB)) {
            var response = new RegistryClient(node).get("/v2/app/blobs/" + sha256(layer));
            assertEquals(200, response.statusCode(), node.url().toString());
            assertArrayEquals(layer, response.body());
        }
    }

    @Test
    void manifestPushedOnAnotherNodeWhileTheCollectorDecidesKeepsItsLayer() throws IOException {
        imageDeletedFromApp();
        beforeRemoval = () -> clientB.put("/v2/app/manifests/again", manifest(layer), "Content-Type", OCI_MANIFEST).statusCode();

        GarbageCollector.Report report = collectOnNodeA();

        assertEquals(201, raceStatus.get(), "node B's push was acknowledged in the race");
        assertFalse(report.deletedBlobs().contains(Digest.parse(sha256(layer))), report.deletedBlobs().toString());
        layerPullsFromBothNodes();
        assertEquals(200, clientB.get("/v2/app/manifests/again").statusCode());
        assertEquals(List.of(watched + "/data", watched + "/lastused"), sorted(store.list(watched)), "nothing set aside is left");
    }

    @Test
    void blobUploadedAgainOnAnotherNodeWhileTheCollectorDecidesIsKept() throws IOException {
        imageDeletedFromApp();
        beforeRemoval = () -> clientB.post("/v2/app/blobs/uploads/?digest=" + sha256(layer), layer).statusCode();

        GarbageCollector.Report report = collectOnNodeA();

        assertEquals(201, raceStatus.get(), "node B's upload was acknowledged in the race");
        assertFalse(report.deletedBlobs().contains(Digest.parse(sha256(layer))), report.deletedBlobs().toString());
        layerPullsFromBothNodes();
    }

    @Test
    void unusedBlobIsDeletedWithNothingLeftBehind() throws IOException {
        imageDeletedFromApp();

        GarbageCollector.Report report = collectOnNodeA();

        assertTrue(report.deletedBlobs().contains(Digest.parse(sha256(layer))), report.deletedBlobs().toString());
        assertEquals(List.of(), store.list(watched));
        assertEquals(404, clientB.get("/v2/app/blobs/" + sha256(layer)).statusCode());
        assertEquals(200, clientB.get("/v2/app/manifests/kept").statusCode());
    }

    @Test
    void bytesSetAsideByACollectionThatDiedAreRestoredByTheNext() throws IOException {
        imageDeletedFromApp();
        clientB.pushManifest("app", "back", OCI_MANIFEST, manifest(layer)); // referenced again
        store.move(watched + "/data", watched + "/data.collecting"); // a collector was killed here
        assertEquals(404, clientB.get("/v2/app/blobs/" + sha256(layer)).statusCode());

        GarbageCollector.Report report = collectOnNodeA();

        assertTrue(progress.contains("blob restored from an interrupted collection: " + sha256(layer)), progress.toString());
        assertFalse(report.deletedBlobs().contains(Digest.parse(sha256(layer))));
        layerPullsFromBothNodes();
        assertFalse(store.list(watched).contains(watched + "/data.collecting"));
    }

    @Test
    void useMarkerOfBytesThatWereGoneIsSwept() throws IOException {
        String stray = StorageLayout.blobDirectory(Digest.parse(sha256(utf8("never stored"))));
        store.writeSmall(stray + "/lastused", new byte[0]);

        collectOnNodeA();

        assertEquals(List.of(), store.list(stray));
    }

    private static List<String> sorted(List<String> paths) {
        List<String> copy = new ArrayList<>(paths);
        copy.sort(null);
        return copy;
    }
}
