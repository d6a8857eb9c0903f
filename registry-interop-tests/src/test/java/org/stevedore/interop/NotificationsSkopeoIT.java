package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * distribution's webhook notifications from the launched server ({@code stevedore.jar serve} with
 * {@code notifications.endpoints} in config.yml) while skopeo pushes and pulls: the envelope and
 * its fields, configured headers, ignore rules, retries after failures, and an endpoint that never
 * answers slowing nothing.
 */
class NotificationsSkopeoIT {
    private static final String ENVELOPE_TYPE = "application/vnd.docker.distribution.events.v2+json";
    private static final String BLOB_TYPE = "application/octet-stream";

    @TempDir
    Path work;

    @Test
    void skopeoPushAndPullAreSentInDistributionsEnvelope() throws Exception {
        Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
        try (WebhookReceiver all = WebhookReceiver.accepting();
             WebhookReceiver manifestPushes = WebhookReceiver.accepting();
             WebhookReceiver flaky = WebhookReceiver.failingFirst(3)) {
            String yaml = "notifications:\n  endpoints:\n"
                    + "    - name: all\n      url: " + all.url() + "\n      timeout: 10s\n"
                    + "      headers:\n        Authorization: [Bearer hook-token]\n        X-Registry: [stevedore-it]\n"
                    + "    - name: manifest-pushes\n      url: " + manifestPushes.url() + "\n      timeout: 10s\n"
                    + "      ignoredmediatypes: [" + BLOB_TYPE + "]\n      ignore:\n        actions: [pull]\n"
                    + "    - name: flaky\n      url: " + flaky.url() + "\n      threshold: 2\n      backoff: 200ms\n";
            Path source = work.resolve("source");
            OciImage image = OciLayoutWriter.write(source, "v1", 2, 21);
            String host;
            String output;
            try (StevedoreProcess stevedore = StevedoreProcess.startWithConfig(work.resolve("server"), yaml)) {
                host = stevedore.hostPort();
                String remote = "docker://" + host + "/notify/app:v1";
                skopeo.copy("oci:" + source + ":v1", remote, "--preserve-digests", "--dest-tls-verify=false");
                skopeo.copy(remote, "oci:" + work.resolve("copy") + ":v1", "--src-tls-verify=false");
                all.awaitEvents(events -> events.stream().anyMatch(e -> action(e, "pull")
                        && e.at("/target/digest").asText().equals(image.layerDigests().get(1))), Duration.ofSeconds(30));
                output = stevedore.output();
            } // SIGTERM: the server delivers what is still queued before it exits
            // Delivery is at least once, as distribution's: a POST that timed out is sent again.
            List<JsonNode> events = distinct(all.events());

            for (String blob : image.blobDigests()) {
                long size = Files.size(source.resolve("blobs/sha256").resolve(Digests.hex(blob)));
                JsonNode push = only(events, e -> action(e, "push") && e.at("/target/digest").asText().equals(blob));
                assertTarget(push, BLOB_TYPE, size, blob);
                assertEquals("http://" + host + "/v2/notify/app/blobs/" + blob, push.at("/target/url").asText());
                JsonNode pull = first(events, e -> action(e, "pull") && e.at("/request/method").asText().equals("GET")
                        && e.at("/target/digest").asText().equals(blob));
                assertTarget(pull, BLOB_TYPE, size, blob);
            }
            JsonNode manifestPush = only(events, e -> action(e, "push")
                    && e.at("/target/mediaType").asText().equals(OciImage.MANIFEST_TYPE));
            assertTarget(manifestPush, OciImage.MANIFEST_TYPE, image.manifest().length, image.manifestDigest());
            assertEquals("v1", manifestPush.at("/target/tag").asText());
            assertEquals("http://" + host + "/v2/notify/app/manifests/" + image.manifestDigest(),
                    manifestPush.at("/target/url").asText());
            assertEquals("PUT", manifestPush.at("/request/method").asText());
            assertEquals(host, manifestPush.at("/request/host").asText());
            assertTrue(manifestPush.at("/request/addr").asText().startsWith("127.0.0.1:"), manifestPush.toString());
            assertFalse(manifestPush.at("/request/useragent").asText().isEmpty(), manifestPush.toString());
            assertTrue(manifestPush.at("/source/addr").asText().endsWith(":" + host.split(":")[1]),
                    manifestPush.toString());
            JsonNode manifestPull = first(events, e -> action(e, "pull") && e.at("/target/tag").asText().equals("v1")
                    && e.at("/request/method").asText().equals("GET"));
            assertTarget(manifestPull, OciImage.MANIFEST_TYPE, image.manifest().length, image.manifestDigest());

            for (WebhookReceiver.Post post : all.posts()) {
                assertEquals(ENVELOPE_TYPE, post.header("Content-Type"));
                assertEquals("Bearer hook-token", post.header("Authorization"));
                assertEquals("stevedore-it", post.header("X-Registry"));
                assertEquals(1, post.eventCount(), "one event per POST, as distribution sends them");
            }
            assertFalse(output.contains("hook-token"), "header values are never logged:\n" + output);

            List<JsonNode> ignoring = distinct(manifestPushes.events());
            assertEquals(1, ignoring.size(), "only the manifest push passes both ignore rules: " + ignoring);
            assertEquals(manifestPush.path("id"), ignoring.get(0).path("id"));

            assertEquals(ids(events), ids(flaky.events()), "the failing endpoint got every event after retries");
        }
    }

    @Test
    void hangingEndpointDoesNotSlowSkopeoPushesAndItsQueueOverflowIsDropped() throws Exception {
        Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
        try (WebhookReceiver stuck = WebhookReceiver.hanging()) {
            String yaml = "notifications:\n  endpoints:\n    - name: stuck\n      url: " + stuck.url() + "\n"
                    + "      timeout: 120s\n      queuesize: 1\n";
            StevedoreProcess stevedore = StevedoreProcess.startWithConfig(work.resolve("server"), yaml);
            try {
                for (int i = 0; i < 2; i++) {
                    Path source = work.resolve("source-" + i);
                    OciLayoutWriter.write(source, "v1", 2, 30 + i);
                    long started = System.nanoTime();
                    skopeo.copy("oci:" + source + ":v1", "docker://" + stevedore.hostPort() + "/notify/hang-" + i + ":v1",
                            "--preserve-digests", "--dest-tls-verify=false");
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    // The endpoint holds each POST for up to 120 s; a push that waited for it would take that long.
                    assertTrue(millis < 30_000, "push " + i + " took " + millis + " ms");
                }
                assertTrue(stuck.hung() >= 1, "the endpoint received a POST and holds it");
                assertTrue(stevedore.awaitOutput("notification endpoint stuck: queue full"),
                        "dropped events are reported:\n" + stevedore.output());
            } finally {
                long closing = System.nanoTime();
                stevedore.close();
                long closeMillis = (System.nanoTime() - closing) / 1_000_000;
                assertTrue(closeMillis < 25_000, "stopping took " + closeMillis + " ms");
            }
        }
    }

    private static List<JsonNode> distinct(List<JsonNode> events) {
        java.util.Map<String, JsonNode> byId = new java.util.LinkedHashMap<>();
        for (JsonNode event : events) byId.putIfAbsent(event.path("id").asText(), event);
        return List.copyOf(byId.values());
    }

    private static boolean action(JsonNode event, String action) {
        return event.path("action").asText().equals(action);
    }

    private static JsonNode only(List<JsonNode> events, Predicate<JsonNode> which) {
        List<JsonNode> matching = events.stream().filter(which).toList();
        assertEquals(1, matching.size(), "expected exactly one matching event in " + events);
        return matching.get(0);
    }

    private static JsonNode first(List<JsonNode> events, Predicate<JsonNode> which) {
        return events.stream().filter(which).findFirst()
                .orElseThrow(() -> new AssertionError("no matching event in " + events));
    }

    private static Set<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).collect(Collectors.toSet());
    }

    private static void assertTarget(JsonNode event, String mediaType, long size, String digest) {
        assertEquals(mediaType, event.at("/target/mediaType").asText(), event.toString());
        assertEquals(size, event.at("/target/size").asLong(), event.toString());
        assertEquals(size, event.at("/target/length").asLong(), event.toString());
        assertEquals(digest, event.at("/target/digest").asText(), event.toString());
        assertEquals("notify/app", event.at("/target/repository").asText(), event.toString());
    }
}
