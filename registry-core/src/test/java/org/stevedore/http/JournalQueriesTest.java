package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stevedore.model.Digest;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryEvent;
import org.stevedore.registry.fixtures.PushedImage;

/** The journal's waiting and filtering helpers, over real HTTP requests. */
class JournalQueriesTest {
    private Registry registry;
    private RegistryClient client;

    @BeforeEach
    void start() {
        registry = Registry.builder().start();
        client = new RegistryClient(registry);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void awaitPushReturnsOnceAPushInTheBackgroundLands() throws Exception {
        byte[] config = RegistryClient.utf8("{}");
        String configDigest = RegistryClient.sha256(config);
        CompletableFuture<Void> pusher = CompletableFuture.runAsync(() -> {
            client.post("/v2/bg/app/blobs/uploads/?digest=" + configDigest, config);
            byte[] manifest = RegistryClient.utf8("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST
                    + "\",\"config\":" + RegistryClient.descriptor(RegistryClient.OCI_CONFIG, configDigest, config.length)
                    + ",\"layers\":[]}");
            client.put("/v2/bg/app/manifests/7", manifest, "Content-Type", RegistryClient.OCI_MANIFEST);
        });
        RegistryEvent push = registry.events().awaitPush("bg/app", "7", Duration.ofSeconds(20));
        assertEquals("PUT", push.method());
        assertEquals(201, push.status());
        pusher.join();
    }

    @Test
    void awaitNamesWhatHappenedWhenNothingMatches() {
        client.get("/v2/");
        client.get("/v2/nothing/here/manifests/1");
        registry.fixtures().pushImage("other/app", "1", 10);
        AssertionError none = assertThrows(AssertionError.class,
                () -> registry.events().awaitPush("demo/app", "1", Duration.ofMillis(200)));
        assertTrue(none.getMessage().contains("no matching event within PT0.2S"), none.getMessage());
    }

    @Test
    void blobPullsCountEachLayerOfARepositoryAndCountsByType() {
        PushedImage image = registry.fixtures().pushImage("deploy/app", "1", 100, 200, 300);
        registry.fixtures().pushImage("deploy/other", "1", 100);
        for (Digest layer : image.layers()) client.get("/v2/deploy/app/blobs/" + layer);
        client.get("/v2/deploy/app/blobs/" + image.layers().get(0));
        client.get("/v2/deploy/other/manifests/1", "Accept", RegistryClient.OCI_MANIFEST);

        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put(image.layers().get(0).toString(), 2L);
        expected.put(image.layers().get(1).toString(), 1L);
        expected.put(image.layers().get(2).toString(), 1L);
        assertEquals(expected, registry.events().blobPulls("deploy/app"));
        assertEquals(4, registry.events().ofRepository("deploy/app").size());
        assertEquals(1, registry.events().ofRepository("deploy/other").size());
        assertEquals(Map.of(RegistryEvent.Type.BLOB_PULL, 4L, RegistryEvent.Type.PULL, 1L),
                registry.events().countsByType());
    }
}
