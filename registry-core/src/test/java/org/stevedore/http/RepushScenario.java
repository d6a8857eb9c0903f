package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;

/**
 * Manifests pushed again: under the same tag, after the tag moved away and back, after the
 * manifest was deleted, by several clients at once. Every push answers 201 and the registry then serves what the last push
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

    @Test
    void pushesOfTheSameManifestSideBySideAllLand() throws Exception {
        byte[] manifest = pushImage("again/together", "v0", "together");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> pushes = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                String own = "n" + n;
                pushes.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        pushManifest("again/together", "v0", manifest);
                        pushManifest("again/together", own + "-" + i, manifest);
                    }
                }));
            }
            for (Future<?> push : pushes) push.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<String> tags = tags("again/together");
        assertEquals(21, tags.size(), tags::toString);
        for (String tag : tags) {
            assertArrayEquals(manifest, client.get("/v2/again/together/manifests/" + tag).body(), tag);
        }
    }

    private List<String> tags(String name) {
        HttpResponse<byte[]> response = client.get("/v2/" + name + "/tags/list");
        assertEquals(200, response.statusCode(), () -> RegistryClient.text(response));
        List<String> tags = new ArrayList<>();
        RegistryClient.json(response.body()).path("tags").forEach(node -> tags.add(node.asText()));
        return tags;
    }
}
