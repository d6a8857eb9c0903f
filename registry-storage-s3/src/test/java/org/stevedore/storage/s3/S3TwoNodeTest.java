package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.storage.s3.S3Http.header;
import static org.stevedore.storage.s3.S3Http.send;
import static org.stevedore.storage.s3.S3Http.text;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;

/**
 * Two registries, each with its own {@link S3Driver}, over one bucket and root directory: the
 * scale-out setup behind a load balancer. Through HTTP, nothing a request needs may live in one
 * node's memory: an upload started on A continues on B and completes on A, across multipart parts;
 * a tag pushed through A is served by B at once.
 */
class S3TwoNodeTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static S3Driver driverA;
    private static S3Driver driverB;
    private static Registry nodeA;
    private static Registry nodeB;

    @BeforeAll
    static void startTwoNodes() {
        S3DriverSettings settings = S3.settings().withRedirect(false);
        driverA = S3Driver.create(settings);
        driverB = S3Driver.create(settings);
        nodeA = Registry.builder().storage(driverA).start();
        nodeB = Registry.builder().storage(driverB).start();
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
        driverA.close();
        driverB.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static HttpResponse<byte[]> patch(Registry node, String location, byte[] blob, int from, int to) {
        return send(node, "PATCH", location, Arrays.copyOfRange(blob, from, to),
                "Content-Range", from + "-" + (to - 1), "Content-Type", "application/octet-stream");
    }

    @Test
    void uploadStartedOnOneNodeContinuesOnTheOtherAndCompletesOnTheFirst() {
        // Larger than two parts of 5 MiB, with chunks that fall across part boundaries, so the
        // commit on each node exercises both the small-file rewrite and the server-side copy.
        byte[] blob = random(13 * 1024 * 1024 + 12_345, 7);
        String digest = S3Http.sha256(blob);
        int[] cuts = {0, 3 * 1024 * 1024, 9 * 1024 * 1024, 11 * 1024 * 1024, blob.length};

        HttpResponse<byte[]> started = send(nodeA, "POST", "/v2/team/app/blobs/uploads/", new byte[0]);
        assertEquals(202, started.statusCode(), () -> text(started));
        String location = header(started, "Location");
        for (int i = 0; i + 2 < cuts.length; i++) {
            Registry node = i % 2 == 0 ? nodeA : nodeB;
            HttpResponse<byte[]> chunk = patch(node, location, blob, cuts[i], cuts[i + 1]);
            assertEquals(202, chunk.statusCode(), () -> text(chunk));
            assertEquals("0-" + (cuts[i + 1] - 1), header(chunk, "Range"));
            location = header(chunk, "Location");
        }
        HttpResponse<byte[]> status = send(nodeB, "GET", location, new byte[0]);
        assertEquals(204, status.statusCode(), () -> text(status));
        assertEquals("0-" + (cuts[3] - 1), header(status, "Range"), "node B reports the progress made on both");

        String last = location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
        HttpResponse<byte[]> done = send(nodeA, "PUT", last, Arrays.copyOfRange(blob, cuts[3], cuts[4]),
                "Content-Type", "application/octet-stream");
        assertEquals(201, done.statusCode(), () -> text(done));
        assertEquals(digest, header(done, "Docker-Content-Digest"));

        HttpResponse<byte[]> pulled = send(nodeB, "GET", "/v2/team/app/blobs/" + digest, new byte[0]);
        assertEquals(200, pulled.statusCode(), () -> text(pulled));
        assertArrayEquals(blob, pulled.body());
        HttpResponse<byte[]> ranged = send(nodeA, "GET", "/v2/team/app/blobs/" + digest, new byte[0],
                "Range", "bytes=6000000-6000099");
        assertEquals(206, ranged.statusCode(), () -> text(ranged));
        assertArrayEquals(Arrays.copyOfRange(blob, 6_000_000, 6_000_100), ranged.body());
    }

    @Test
    void tagPushedThroughOneNodeIsVisibleOnTheOtherAtOnce() {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = S3Http.pushBlob(nodeA, "team/tagged", config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + configDigest + "\",\"size\":2},\"layers\":[]}";
        for (String tag : new String[] {"v1", "v2"}) {
            HttpResponse<byte[]> put = send(nodeA, "PUT", "/v2/team/tagged/manifests/" + tag,
                    manifest.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/vnd.oci.image.manifest.v1+json");
            assertEquals(201, put.statusCode(), () -> text(put));

            HttpResponse<byte[]> tags = send(nodeB, "GET", "/v2/team/tagged/tags/list", new byte[0]);
            assertEquals(200, tags.statusCode(), () -> text(tags));
            assertTrue(new String(tags.body(), StandardCharsets.UTF_8).contains("\"" + tag + "\""), () -> text(tags));
            HttpResponse<byte[]> pulled = send(nodeB, "GET", "/v2/team/tagged/manifests/" + tag, new byte[0],
                    "Accept", "application/vnd.oci.image.manifest.v1+json");
            assertEquals(200, pulled.statusCode(), () -> text(pulled));
            assertEquals(manifest, new String(pulled.body(), StandardCharsets.UTF_8));
        }
        HttpResponse<byte[]> catalog = send(nodeB, "GET", "/v2/_catalog", new byte[0]);
        assertTrue(new String(catalog.body(), StandardCharsets.UTF_8).contains("team/tagged"), () -> text(catalog));
    }
}
