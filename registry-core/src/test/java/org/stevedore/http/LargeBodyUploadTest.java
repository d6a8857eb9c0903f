package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.stevedore.http.RegistryClient.DIGEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;
import static org.stevedore.http.RegistryClient.withQuery;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/**
 * Bodies of several MiB, longer than the slices an upload is hashed in (1 MiB, a ring of four,
 * hashed on a second thread while the request thread stores them): whatever sizes the reads come
 * in, however the body ends, the stored blob is exactly the bytes sent, or nothing at all. More
 * concurrent bodies than pipelines take the one-thread path side by side with the others.
 */
class LargeBodyUploadTest {
    private static final int MIB = 1024 * 1024;
    /** Past the ring of slices, so slices are reused, and not a multiple of anything. */
    private static final int LARGE = 4 * MIB + 12_345;

    private static Registry registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        // Whatever else runs on this machine: these bodies take the two-thread path.
        System.setProperty("stevedore.upload.overlap", "always");
        registry = TestRegistries.builder().start();
        client = new RegistryClient(registry);
    }

    @AfterAll
    static void stop() {
        System.clearProperty("stevedore.upload.overlap");
        registry.close();
    }

    @AfterEach
    void laterUploadsStillWork() {
        byte[] content = RegistryClient.randomBytes(MIB + 1, 99);
        String digest = client.pushBlob("large/after", content);
        assertArrayEquals(content, client.get("/v2/large/after/blobs/" + digest).body());
    }

    private static byte[] head(String method, String path, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n" + client.hostHeader());
        for (String header : headers) head.append(header).append("\r\n");
        return utf8(head.append("\r\n").toString());
    }

    private static void assertStored(String name, String digest, byte[] content) {
        HttpResponse<byte[]> pulled = client.get("/v2/" + name + "/blobs/" + digest);
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(content, pulled.body());
    }

    @Test
    void monolithicBodyArrivingInOddPiecesIsStoredExactly() {
        byte[] content = RegistryClient.randomBytes(LARGE, 1);
        String digest = sha256(content);
        RegistryClient.RawResponse response = client.rawInPieces(head("POST",
                "/v2/large/pieces/blobs/uploads/?digest=" + digest, "Content-Length: " + LARGE, "Connection: close"),
                content, 1, 7_919, MIB - 1, 65_537, 3, MIB + 5, 300_007);
        assertEquals(201, response.status(), () -> new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(digest, response.header(DIGEST));
        assertStored("large/pieces", digest, content);
    }

    @Test
    void chunkedTransferEncodingWithChunksAcrossSlicesIsStoredExactly() {
        byte[] content = RegistryClient.randomBytes(LARGE, 2);
        int[] chunkSizes = {MIB - 1, 1, MIB + 1, 17, 2 * MIB + 4_099};
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        for (int offset = 0, i = 0; offset < content.length; i++) {
            int n = Math.min(chunkSizes[i % chunkSizes.length], content.length - offset);
            framed.writeBytes(utf8(Integer.toHexString(n) + "\r\n"));
            framed.write(content, offset, n);
            framed.writeBytes(utf8("\r\n"));
            offset += n;
        }
        framed.writeBytes(utf8("0\r\n\r\n"));
        String location = client.startUpload("large/chunked");

        RegistryClient.RawResponse patched = client.rawInPieces(head("PATCH", location,
                "Transfer-Encoding: chunked", "Connection: close"), framed.toByteArray(), 65_536, 5, 1_000_003);
        assertEquals(202, patched.status(), () -> new String(patched.body(), StandardCharsets.UTF_8));
        assertEquals("0-" + (LARGE - 1), patched.header("Range"));

        String digest = sha256(content);
        HttpResponse<byte[]> done = client.put(withQuery(patched.header("Location"), "digest=" + digest), new byte[0]);
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        assertStored("large/chunked", digest, content);
    }

    @Test
    void largeChunksCarryTheHashFromOneRequestToTheNext() {
        byte[] content = RegistryClient.randomBytes(2 * LARGE, 3);
        String location = client.startUpload("large/resumed");
        int[] ends = {MIB / 2, LARGE + 3, 2 * LARGE};
        int start = 0;
        for (int end : ends) {
            HttpResponse<byte[]> patched = client.patch(location, Arrays.copyOfRange(content, start, end),
                    "Content-Range", start + "-" + (end - 1));
            assertEquals(202, patched.statusCode(), () -> RegistryClient.text(patched));
            location = header(patched, "Location");
            start = end;
        }
        String digest = sha256(content);
        HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + digest), new byte[0]);
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        assertEquals(digest, header(done, DIGEST));
        assertStored("large/resumed", digest, content);
    }

    @Test
    void wrongDigestOfALargeBodyPublishesNothing() {
        byte[] content = RegistryClient.randomBytes(LARGE, 4);
        String claimed = sha256(Arrays.copyOf(content, LARGE - 1));
        HttpResponse<byte[]> response = client.post("/v2/large/wrong/blobs/uploads/?digest=" + claimed, content);
        assertError(response, 400, "DIGEST_INVALID");
        assertEquals(404, client.head("/v2/large/wrong/blobs/" + claimed).statusCode());
        assertEquals(404, client.head("/v2/large/wrong/blobs/" + sha256(content)).statusCode());
        assertFalse(client.storesAnythingFor("large/wrong"));
    }

    @Test
    void clientVanishingAfterSeveralSlicesCommitsNothing() {
        byte[] content = RegistryClient.randomBytes(LARGE, 5);
        String location = client.startUpload("large/vanish");
        client.sendAndDisconnect(head("PATCH", location, "Content-Length: " + LARGE,
                "Content-Type: application/octet-stream"), Arrays.copyOf(content, 2 * MIB + MIB / 2));

        // Taken after the broken PATCH has let go of the session: a committed part of it would
        // make this chunk, which starts at 0, a 416.
        HttpResponse<byte[]> resumed = client.patch(location, content, "Content-Range", "0-" + (LARGE - 1));
        assertEquals(202, resumed.statusCode(), () -> RegistryClient.text(resumed));
        String digest = sha256(content);
        HttpResponse<byte[]> done = client.put(withQuery(header(resumed, "Location"), "digest=" + digest), new byte[0]);
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        assertStored("large/vanish", digest, content);
    }

    @Test
    void clientGivingUpMidMonolithicBodyLeavesNothing() {
        byte[] content = RegistryClient.randomBytes(LARGE, 6);
        RegistryClient.RawResponse response = client.raw(head("POST",
                "/v2/large/give-up/blobs/uploads/?digest=" + sha256(content), "Content-Length: " + LARGE),
                Arrays.copyOf(content, 2 * MIB + 77), true);
        assertEquals(400, response.status(), () -> new String(response.body(), StandardCharsets.UTF_8));
        RegistryClient.assertErrorBody(response.body(), "BLOB_UPLOAD_INVALID");
        assertEquals(404, client.head("/v2/large/give-up/blobs/" + sha256(content)).statusCode());
        assertFalse(client.storesAnythingFor("large/give-up"));
    }

    @Test
    void concurrentLargeUploadsAreEachStoredExactly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> pushed = new ArrayList<>();
            List<byte[]> contents = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] content = RegistryClient.randomBytes(LARGE / 2 + i, 10 + i);
                contents.add(content);
                pushed.add(pool.submit(() -> client.pushBlob("large/concurrent", content)));
            }
            for (int i = 0; i < contents.size(); i++) {
                assertStored("large/concurrent", pushed.get(i).get(), contents.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
