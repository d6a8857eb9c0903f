package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryEvent;
import org.stevedore.registry.RegistryEvent.Type;

/** {@code registry.events()}: what each kind of request leaves in the journal, read right after the response. */
class EventJournalTest {
    private Registry registry;

    @AfterEach
    void stop() {
        if (registry != null) registry.close();
    }

    @Test
    void recordsBlobPushesManifestPushAndPullsWithDigests() {
        registry = Registry.builder().start();
        RegistryClient client = new RegistryClient(registry);
        Instant before = Instant.now();
        byte[] manifest = client.pushImage("journal/app", "v1", "seed");
        String manifestDigest = sha256(manifest);
        String layerDigest = sha256(utf8("layer of seed"));
        client.head("/v2/journal/app/blobs/" + layerDigest);          // existence checks are no events
        client.get("/v2/journal/app/manifests/v1", "Accept", OCI_MANIFEST);
        client.get("/v2/journal/app/blobs/" + layerDigest);

        List<RegistryEvent> events = registry.events().all();
        assertEquals(List.of(Type.BLOB_PUSH, Type.BLOB_PUSH, Type.PUSH, Type.PULL, Type.BLOB_PULL),
                events.stream().map(RegistryEvent::type).toList(), events::toString);
        RegistryEvent push = events.get(2);
        assertEquals(Optional.of("journal/app"), push.repository());
        assertEquals(Optional.of("v1"), push.reference());
        assertEquals(Optional.of(manifestDigest), push.digest());
        assertEquals("PUT", push.method());
        assertEquals(201, push.status());
        assertTrue(!push.time().isBefore(before), "time " + push.time() + " not before " + before);
        assertEquals(Optional.of(manifestDigest), events.get(3).digest(), "pull by tag reports the digest served");
        assertEquals(Optional.of(layerDigest), events.get(4).digest());
        assertEquals(Optional.of(layerDigest), events.get(1).digest());
    }

    @Test
    void recordsMountsAndFailedAuthenticationWithTheClaimedUser() {
        registry = Registry.builder().users(Map.of("ci", "s3cret")).start();
        RegistryClient client = new RegistryClient(registry);
        String good = RegistryClient.basic("ci", "s3cret");
        String digest = sha256(utf8("shared"));
        assertEquals(201, client.post("/v2/a/blobs/uploads/?digest=" + digest, utf8("shared"),
                "Authorization", good).statusCode());
        assertEquals(201, client.post("/v2/b/blobs/uploads/?mount=" + digest + "&from=a", new byte[0],
                "Authorization", good).statusCode());
        assertEquals(401, client.get("/v2/a/tags/list", "Authorization", RegistryClient.basic("mallory", "guess"))
                .statusCode());

        List<RegistryEvent> events = registry.events().all();
        assertEquals(List.of(Type.BLOB_PUSH, Type.MOUNT, Type.AUTH_FAILED),
                events.stream().map(RegistryEvent::type).toList(), events::toString);
        assertEquals(Optional.of("ci"), events.get(1).user());
        assertEquals(Optional.of("b"), events.get(1).repository());
        assertEquals(Optional.of(digest), events.get(1).digest());
        assertEquals(Optional.of("mallory"), events.get(2).user());
        assertEquals(401, events.get(2).status());
        assertEquals("/v2/a/tags/list", events.get(2).path());
    }

    @Test
    void forgetsEventsWhenCleared() {
        registry = Registry.builder().start();
        RegistryClient client = new RegistryClient(registry);
        client.pushBlob("journal/bounded", utf8("x"));
        assertEquals(1, registry.events().ofType(Type.BLOB_PUSH).size());
        registry.events().clear();
        assertEquals(List.of(), registry.events().all());
        assertEquals(10_000, registry.events().capacity());
    }
}
