package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;

/**
 * Manifests pushed again: under the same tag, after the tag moved away and back, after the
 * manifest was deleted. Every push answers 201 and the registry then serves what the last push
 * said, whatever a store skips when a link already holds the bytes it would write. A storage
 * module runs it over its own driver by extending it.
 */
public abstract class RepushScenario {
    private Registry registry;
    private RegistryClient client;

    /** The driver of the registry under test, new for each test. */
    protected abstract StorageDriver newDriver() throws Exception;

    @BeforeEach
    void start() throws Exception {
        registry = Registry.builder().storage(newDriver()).start();
        client = new RegistryClient(registry);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    /** Pushes a config, a layer and a manifest naming them under {@code tag}; returns the manifest. */
    protected final byte[] pushImage(String name, String tag, String seed) {
        return client.pushImage(name, tag, seed);
    }

    /** Pushes {@code manifest} under {@code reference} (asserting 201). */
    protected final void pushManifest(String name, String reference, byte[] manifest) {
        client.pushManifest(name, reference, RegistryClient.OCI_MANIFEST, manifest);
    }

    @Test
    void aManifestPushedAgainUnderItsTagIsServedAsBefore() {
        byte[] manifest = pushImage("again/same", "v1", "same");
        for (int i = 0; i < 3; i++) pushManifest("again/same", "v1", manifest);
        pushManifest("again/same", RegistryClient.sha256(manifest), manifest);

        assertArrayEquals(manifest, client.get("/v2/again/same/manifests/v1").body());
        assertArrayEquals(manifest, client.get("/v2/again/same/manifests/" + RegistryClient.sha256(manifest)).body());
        assertEquals(List.of("v1"), tags("again/same"));
    }

    @Test
    void aTagMovedAwayAndBackPointsAtTheLastPush() {
        byte[] first = pushImage("again/moved", "t", "first");
        byte[] second = pushImage("again/moved", "t", "second");
        pushManifest("again/moved", "t", first);
        assertArrayEquals(first, client.get("/v2/again/moved/manifests/t").body());
        pushManifest("again/moved", "t", second);
        assertArrayEquals(second, client.get("/v2/again/moved/manifests/t").body());
        pushManifest("again/moved", "t", second);
        assertArrayEquals(second, client.get("/v2/again/moved/manifests/t").body());
    }

    @Test
    void aManifestDeletedAndPushedAgainIsBackWithItsTag() {
        byte[] manifest = pushImage("again/deleted", "v1", "deleted");
        String digest = RegistryClient.sha256(manifest);
        assertEquals(202, client.delete("/v2/again/deleted/manifests/" + digest).statusCode());
        assertEquals(404, client.get("/v2/again/deleted/manifests/v1").statusCode());

        pushManifest("again/deleted", "v1", manifest);

        assertArrayEquals(manifest, client.get("/v2/again/deleted/manifests/v1").body());
        assertArrayEquals(manifest, client.get("/v2/again/deleted/manifests/" + digest).body());
        assertEquals(202, client.delete("/v2/again/deleted/manifests/v1").statusCode());
        pushManifest("again/deleted", "v1", manifest);
        assertArrayEquals(manifest, client.get("/v2/again/deleted/manifests/v1").body());
        assertEquals(List.of("v1"), tags("again/deleted"));
    }

    private List<String> tags(String name) {
        HttpResponse<byte[]> response = client.get("/v2/" + name + "/tags/list");
        assertEquals(200, response.statusCode(), () -> RegistryClient.text(response));
        List<String> tags = new ArrayList<>();
        RegistryClient.json(response.body()).path("tags").forEach(node -> tags.add(node.asText()));
        return tags;
    }
}
