package org.stevedore.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryBuilder;

/**
 * Notifications from an embedded registry to webhook receivers on 127.0.0.1: the envelope and its
 * fields for pushes, pulls, mounts and deletes, configured headers, and no credentials in events.
 */
class NotifierTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PASSWORD = "s3cret pw";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<Registry, Notifier> notifiers = new java.util.HashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) resources.get(i).close();
    }

    private HookServer hook(HookServer server) {
        resources.add(server);
        return server;
    }

    /** A registry reporting to {@code settings}' endpoints; closing it closes the notifier. */
    private Registry start(NotifierSettings settings, RegistryBuilder builder) {
        Notifier notifier = Notifier.start(settings);
        Registry registry = builder.requestObserver(notifier).closing(notifier).start();
        notifier.attach(registry);
        resources.add(registry);
        notifiers.put(registry, notifier);
        return registry;
    }

    @Test
    void pushAndPullArriveInDistributionsEnvelope() throws Exception {
        HookServer hook = hook(HookServer.accepting());
        EndpointSettings endpoint = endpoint("ci", hook.url())
                .withHeaders(Map.of("Authorization", List.of("Bearer hook-token"), "X-Extra", List.of("a", "b")));
        Registry registry = start(NotifierSettings.of(List.of(endpoint)).withSource(Optional.of("registry.test:5000"), 0),
                Registry.builder().users(Map.of("alice", PASSWORD)));
        RegistryCalls calls = new RegistryCalls(registry.url(), Optional.of(BASIC));

        RegistryCalls.Image image = calls.pushImage("team/app", "v1", 3000, 1);
        assertEquals(200, calls.get("/v2/team/app/manifests/v1"));
        assertEquals(200, calls.get("/v2/team/app/blobs/" + image.layerDigest()));

        List<JsonNode> events = hook.awaitEvents(e -> e.size() >= 5, WAIT);
        assertEquals(5, events.size(), events.toString());

        JsonNode manifestPush = only(events, e -> action(e, "push") && e.at("/target/mediaType").asText()
                .equals(RegistryCalls.OCI_MANIFEST));
        assertTarget(manifestPush, RegistryCalls.OCI_MANIFEST, image.manifest().length, image.manifestDigest());
        assertEquals("v1", manifestPush.at("/target/tag").asText());
        assertEquals(registry.url() + "/v2/team/app/manifests/" + image.manifestDigest(),
                manifestPush.at("/target/url").asText());
        assertEquals("PUT", manifestPush.at("/request/method").asText());
        assertEquals(registry.hostPort(), manifestPush.at("/request/host").asText());
        assertTrue(manifestPush.at("/request/addr").asText().startsWith("127.0.0.1:"), manifestPush.toString());
        assertTrue(manifestPush.at("/request/useragent").isTextual(), manifestPush.toString());
        assertFalse(manifestPush.at("/request/id").asText().isEmpty());
        assertEquals("alice", manifestPush.at("/actor/name").asText());
        assertEquals("registry.test:5000", manifestPush.at("/source/addr").asText());
        assertFalse(manifestPush.at("/source/instanceID").asText().isEmpty());
        assertFalse(manifestPush.path("id").asText().isEmpty());
        Instant.parse(manifestPush.path("timestamp").asText());

        JsonNode layerPush = only(events, e -> action(e, "push")
                && e.at("/target/digest").asText().equals(image.layerDigest()));
        assertTarget(layerPush, "application/octet-stream", image.layerSize(), image.layerDigest());
        assertEquals(registry.url() + "/v2/team/app/blobs/" + image.layerDigest(), layerPush.at("/target/url").asText());
        assertTrue(layerPush.at("/target/tag").isMissingNode(), "blob events have no tag");
        JsonNode configPush = only(events, e -> action(e, "push")
                && e.at("/target/digest").asText().equals(image.configDigest()));
        assertTarget(configPush, "application/octet-stream", image.configSize(), image.configDigest());

        JsonNode manifestPull = only(events, e -> action(e, "pull") && e.at("/target/tag").asText().equals("v1"));
        assertTarget(manifestPull, RegistryCalls.OCI_MANIFEST, image.manifest().length, image.manifestDigest());
        assertEquals("GET", manifestPull.at("/request/method").asText());
        JsonNode layerPull = only(events, e -> action(e, "pull")
                && e.at("/target/digest").asText().equals(image.layerDigest()));
        assertTarget(layerPull, "application/octet-stream", image.layerSize(), image.layerDigest());

        for (HookServer.Received post : hook.received()) {
            assertEquals(EventEnvelope.MEDIA_TYPE, post.header("Content-Type"));
            assertEquals("Bearer hook-token", post.header("Authorization"));
            assertEquals("a,b", post.header("X-Extra"));
            String body = new String(post.body(), StandardCharsets.UTF_8);
            assertFalse(body.contains(PASSWORD) || body.contains(BASIC.substring(6)), "credentials in " + body);
        }
        awaitStats(registry, s -> s.sent() == 5 && s.pending() == 0);
        NotificationStats stats = notifiers.get(registry).stats().get(0);
        assertEquals(new NotificationStats("ci", 5, 0, 0, 0), stats);
    }

    @Test
    void mountsAndDeletesNameWhatTheyTouched() throws Exception {
        HookServer hook = hook(HookServer.accepting());
        Registry registry = start(NotifierSettings.of(List.of(endpoint("ci", hook.url()))),
                Registry.builder());
        RegistryCalls calls = new RegistryCalls(registry.url(), Optional.empty());
        RegistryCalls.Image image = calls.pushImage("team/src", "v1", 100, 2);
        hook.awaitEvents(e -> e.size() >= 3, WAIT);

        assertEquals(201, calls.mount("team/dst", image.layerDigest(), "team/src"));
        assertEquals(202, calls.delete("/v2/team/src/manifests/v1"));
        assertEquals(202, calls.delete("/v2/team/src/manifests/" + image.manifestDigest()));
        assertEquals(202, calls.delete("/v2/team/src/blobs/" + image.configDigest()));
        List<JsonNode> events = hook.awaitEvents(e -> e.size() >= 7, WAIT).subList(3, 7);

        JsonNode mount = events.get(0);
        assertEquals("mount", mount.path("action").asText());
        assertTarget(mount, "application/octet-stream", image.layerSize(), image.layerDigest());
        assertEquals("team/dst", mount.at("/target/repository").asText());
        assertEquals("team/src", mount.at("/target/fromRepository").asText());

        JsonNode tagDelete = events.get(1);
        assertEquals("delete", tagDelete.path("action").asText());
        assertEquals("v1", tagDelete.at("/target/tag").asText());
        assertEquals("team/src", tagDelete.at("/target/repository").asText());
        assertTrue(tagDelete.at("/target/digest").isMissingNode(), tagDelete.toString());

        JsonNode manifestDelete = events.get(2);
        assertEquals("delete", manifestDelete.path("action").asText());
        assertEquals(image.manifestDigest(), manifestDelete.at("/target/digest").asText());
        assertTrue(manifestDelete.at("/target/mediaType").isMissingNode(), "distribution sends no media type on delete");
        assertTrue(manifestDelete.at("/target/url").isMissingNode());

        JsonNode blobDelete = events.get(3);
        assertEquals(image.configDigest(), blobDelete.at("/target/digest").asText());
        assertEquals("DELETE", blobDelete.at("/request/method").asText());
        assertTrue(blobDelete.at("/actor").isObject() && blobDelete.at("/actor/name").isMissingNode(),
                "anonymous: an empty actor, as distribution writes it");
    }

    @Test
    void ignoredMediaTypesAndActionsAreNotSent() throws Exception {
        HookServer noManifests = hook(HookServer.accepting());
        HookServer noPulls = hook(HookServer.accepting());
        EndpointSettings first = endpoint("no-manifests", noManifests.url())
                .withIgnored(Set.of(RegistryCalls.OCI_MANIFEST), Set.of());
        EndpointSettings second = endpoint("no-pulls", noPulls.url())
                .withIgnored(Set.of(), Set.of(Action.PULL));
        Registry registry = start(NotifierSettings.of(List.of(first, second)), Registry.builder());
        RegistryCalls calls = new RegistryCalls(registry.url(), Optional.empty());

        RegistryCalls.Image image = calls.pushImage("team/app", "v1", 100, 3);
        assertEquals(200, calls.get("/v2/team/app/manifests/v1"));
        assertEquals(200, calls.get("/v2/team/app/blobs/" + image.layerDigest()));
        registry.close(); // closes the notifier, which delivers everything queued first

        List<JsonNode> blobsOnly = noManifests.events();
        assertEquals(3, blobsOnly.size(), "two blob pushes and a blob pull: " + blobsOnly);
        assertTrue(blobsOnly.stream().allMatch(e -> e.at("/target/mediaType").asText().equals("application/octet-stream")));
        List<JsonNode> pushesOnly = noPulls.events();
        assertEquals(3, pushesOnly.size(), "two blob pushes and a manifest push: " + pushesOnly);
        assertTrue(pushesOnly.stream().allMatch(e -> action(e, "push")), pushesOnly.toString());
    }

    @Test
    void includeReferencesListsConfigAndLayers() throws Exception {
        HookServer hook = hook(HookServer.accepting());
        Registry registry = start(NotifierSettings.of(List.of(endpoint("ci", hook.url())))
                .withIncludeReferences(true), Registry.builder());
        RegistryCalls.Image image = new RegistryCalls(registry.url(), Optional.empty()).pushImage("team/app", "v1", 10, 4);

        JsonNode push = only(hook.awaitEvents(e -> e.size() >= 3, WAIT), e -> e.at("/target/tag").asText().equals("v1"));
        JsonNode references = push.at("/target/references");
        assertEquals(2, references.size(), push.toString());
        assertEquals(image.configDigest(), references.get(0).path("digest").asText());
        assertEquals(RegistryCalls.OCI_CONFIG, references.get(0).path("mediaType").asText());
        assertEquals(image.layerDigest(), references.get(1).path("digest").asText());
        assertEquals(image.layerSize(), references.get(1).path("size").asInt());
    }

    private void awaitStats(Registry registry, Predicate<NotificationStats> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(notifiers.get(registry).stats().get(0))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stats never matched: " + notifiers.get(registry).stats());
            }
            Thread.sleep(20);
        }
    }

    /**
     * An endpoint that waits 10 s for each POST. These tests count deliveries exactly; with the
     * 1 s default a POST slowed by a loaded machine times out and is delivered again (at least
     * once, by design), which is DeliveryTest's subject, not theirs.
     */
    static EndpointSettings endpoint(String name, URI url) {
        return EndpointSettings.of(name, url).withTimeout(Duration.ofSeconds(10));
    }

    static boolean action(JsonNode event, String action) {
        return event.path("action").asText().equals(action);
    }

    static JsonNode only(List<JsonNode> events, Predicate<JsonNode> which) {
        List<JsonNode> matching = events.stream().filter(which).toList();
        assertEquals(1, matching.size(), "expected one matching event in " + events);
        return matching.get(0);
    }

    static void assertTarget(JsonNode event, String mediaType, long size, String digest) {
        assertEquals(mediaType, event.at("/target/mediaType").asText(), event.toString());
        assertEquals(size, event.at("/target/size").asLong(), event.toString());
        assertEquals(size, event.at("/target/length").asLong(), event.toString());
        assertEquals(digest, event.at("/target/digest").asText(), event.toString());
    }
}
