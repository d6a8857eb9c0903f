package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * Two registries over one store behave as one registry: nothing a request needs lives only in
 * one node's memory (upload sessions, hash state, tags).
 */
class SharedStorageTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Registry nodeA;
    private static Registry nodeB;

    @BeforeAll
    static void startTwoNodes() {
        StorageDriver shared = InMemoryDriver.create();
        nodeA = Registry.builder().storage(shared).start();
        nodeB = Registry.builder().storage(shared).start();
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void uploadStartedOnOneNodeContinuesOnTheOtherAndCompletesOnTheFirst() throws Exception {
        byte[] blob = new byte[300_000];
        new Random(7).nextBytes(blob);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));

        HttpResponse<Void> started = send(nodeA, "POST", "/v2/team/app/blobs/uploads/", new byte[0], null);
        assertEquals(202, started.statusCode());
        String location = started.headers().firstValue("Location").orElseThrow();

        HttpResponse<Void> first = send(nodeA, "PATCH", location, slice(blob, 0, 100_000), "0-99999");
        assertEquals(202, first.statusCode());
        HttpResponse<Void> second = send(nodeB, "PATCH", first.headers().firstValue("Location").orElseThrow(),
                slice(blob, 100_000, 300_000), "100000-299999");
        assertEquals(202, second.statusCode());
        assertEquals("0-299999", second.headers().firstValue("Range").orElseThrow());

        HttpResponse<Void> done = send(nodeA, "PUT",
                second.headers().firstValue("Location").orElseThrow() + "?digest=" + digest, new byte[0], null);
        assertEquals(201, done.statusCode());

        HttpResponse<byte[]> pulled = HTTP.send(HttpRequest.newBuilder(nodeB.url().resolve("/v2/team/app/blobs/" + digest))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(blob, pulled.body());
    }

    @Test
    void tagPushedThroughOneNodeIsVisibleOnTheOtherAtOnce() throws Exception {
        byte[] config = "{}".getBytes();
        String configDigest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config));
        assertEquals(201, send(nodeA, "POST", "/v2/team/tagged/blobs/uploads/?digest=" + configDigest, config, null)
                .statusCode());
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + configDigest + "\",\"size\":2},\"layers\":[]}";
        HttpResponse<Void> put = HTTP.send(HttpRequest.newBuilder(nodeA.url().resolve("/v2/team/tagged/manifests/v1"))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(201, put.statusCode());

        HttpResponse<String> tags = HTTP.send(HttpRequest.newBuilder(nodeB.url().resolve("/v2/team/tagged/tags/list"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("{\"name\":\"team/tagged\",\"tags\":[\"v1\"]}", tags.body());
        HttpResponse<String> pulled = HTTP.send(HttpRequest.newBuilder(nodeB.url().resolve("/v2/team/tagged/manifests/v1"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(manifest, pulled.body());
    }

    private static HttpResponse<Void> send(Registry node, String method, String path, byte[] body, String range)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.url().resolve(URI.create(path)))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (range != null) request.header("Content-Range", range);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }
}
