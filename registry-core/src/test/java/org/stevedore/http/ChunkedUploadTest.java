package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.DIGEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.withQuery;

import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.registry.Registry;

/** Chunked uploads: {@code PATCH} with {@code Content-Range}, then {@code PUT ?digest=}. */
class ChunkedUploadTest {
    private static final byte[] CONTENT = RegistryClient.randomBytes(64, 4);

    private static Registry registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = TestRegistries.builder().start();
        client = new RegistryClient(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** Sends {@code content[from, to)} as the chunk {@code from-(to-1)}. */
    private static HttpResponse<byte[]> patch(String location, byte[] content, int from, int to) {
        return client.patch(location, Arrays.copyOfRange(content, from, to),
                "Content-Range", from + "-" + (to - 1), "Content-Type", "application/octet-stream");
    }

    private static String rangeOf(String location) {
        HttpResponse<byte[]> status = client.get(location);
        assertEquals(204, status.statusCode(), () -> RegistryClient.text(status));
        return header(status, "Range");
    }

    @Test
    void chunksInOrderThenPutWithoutBodyCreateTheBlob() {
        String location = client.startUpload("chunked/in-order");

        HttpResponse<byte[]> first = patch(location, CONTENT, 0, 10);
        assertEquals(202, first.statusCode(), () -> RegistryClient.text(first));
        assertEquals("0-9", header(first, "Range"));
        location = header(first, "Location");

        HttpResponse<byte[]> second = patch(location, CONTENT, 10, 25);
        assertEquals(202, second.statusCode(), () -> RegistryClient.text(second));
        assertEquals("0-24", header(second, "Range"));
        location = header(second, "Location");

        HttpResponse<byte[]> third = patch(location, CONTENT, 25, CONTENT.length);
        assertEquals(202, third.statusCode());
        assertEquals("0-" + (CONTENT.length - 1), header(third, "Range"));
        location = header(third, "Location");

        String digest = sha256(CONTENT);
        HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + digest), new byte[0]);
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        assertEquals("/v2/chunked/in-order/blobs/" + digest, header(done, "Location"));
        assertEquals(digest, header(done, DIGEST));
        assertArrayEquals(CONTENT, client.get(header(done, "Location")).body());
    }

    @Test
    void locationStaysTheSessionAcrossChunks() {
        String location = client.startUpload("chunked/location");
        HttpResponse<byte[]> first = patch(location, CONTENT, 0, 5);
        assertEquals(location, header(first, "Location"));
        assertTrue(location.startsWith("/v2/chunked/location/blobs/uploads/"), location);
    }

    @Test
    void outOfOrderChunkIsRefusedAndTheOffsetKept() {
        String location = client.startUpload("chunked/out-of-order");
        assertEquals(202, patch(location, CONTENT, 0, 10).statusCode());

        assertError(patch(location, CONTENT, 20, 30), 416, "BLOB_UPLOAD_INVALID");
        assertEquals("0-9", rangeOf(location));

        // The session goes on from where it was.
        assertEquals(202, patch(location, CONTENT, 10, CONTENT.length).statusCode());
        String digest = sha256(CONTENT);
        assertEquals(201, client.put(withQuery(location, "digest=" + digest), new byte[0]).statusCode());
        assertArrayEquals(CONTENT, client.get("/v2/chunked/out-of-order/blobs/" + digest).body());
    }

    @Test
    void firstChunkNotStartingAtZeroIsRefused() {
        String location = client.startUpload("chunked/gap");
        assertError(patch(location, CONTENT, 5, 10), 416, "BLOB_UPLOAD_INVALID");
        assertEquals("0-0", rangeOf(location));
    }

    @Test
    void repeatedChunkIsRefused() {
        String location = client.startUpload("chunked/repeated");
        assertEquals(202, patch(location, CONTENT, 0, 10).statusCode());
        assertError(patch(location, CONTENT, 0, 10), 416, "BLOB_UPLOAD_INVALID");
        assertEquals("0-9", rangeOf(location));
    }

    @Test
    void overlappingChunkIsRefused() {
        String location = client.startUpload("chunked/overlap");
        assertEquals(202, patch(location, CONTENT, 0, 10).statusCode());
        assertError(patch(location, CONTENT, 5, 20), 416, "BLOB_UPLOAD_INVALID");
        assertEquals("0-9", rangeOf(location));
    }

    @Test
    void putMayCarryTheFinalChunk() {
        String location = client.startUpload("chunked/final-in-put");
        assertEquals(202, patch(location, CONTENT, 0, 40).statusCode());

        String digest = sha256(CONTENT);
        HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + digest),
                Arrays.copyOfRange(CONTENT, 40, CONTENT.length),
                "Content-Range", "40-" + (CONTENT.length - 1), "Content-Type", "application/octet-stream");
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        assertEquals(digest, header(done, DIGEST));
        assertArrayEquals(CONTENT, client.get("/v2/chunked/final-in-put/blobs/" + digest).body());
    }

    @Test
    void chunksLargerThanTheCopyBufferKeepEveryByte() {
        byte[] content = RegistryClient.randomBytes(900 * 1024 + 5, 5);
        String location = client.startUpload("chunked/large");
        int half = content.length / 2;
        HttpResponse<byte[]> first = patch(location, content, 0, half);
        assertEquals("0-" + (half - 1), header(first, "Range"));
        HttpResponse<byte[]> second = patch(location, content, half, content.length);
        assertEquals("0-" + (content.length - 1), header(second, "Range"));

        String digest = sha256(content);
        assertEquals(201, client.put(withQuery(location, "digest=" + digest), new byte[0]).statusCode());
        assertArrayEquals(content, client.get("/v2/chunked/large/blobs/" + digest).body());
    }

    @Test
    void rangeNotMatchingContentLengthIsRefused() {
        String location = client.startUpload("chunked/mismatch");
        HttpResponse<byte[]> response = client.patch(location, Arrays.copyOfRange(CONTENT, 0, 5),
                "Content-Range", "0-9");
        assertError(response, 416, "BLOB_UPLOAD_INVALID");
        assertEquals("0-0", rangeOf(location));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "5-2", "-1-3", "0-", "-5", "1-2-3", "bytes 0-x/10", "0-9999999999999999999"})
    void malformedContentRangeIsABadRequest(String contentRange) {
        String location = client.startUpload("chunked/garbage");
        HttpResponse<byte[]> response = client.patch(location, Arrays.copyOfRange(CONTENT, 0, 4),
                "Content-Range", contentRange);
        // 416 is for a well-formed range the session cannot take; a header that does not parse is a 400.
        assertError(response, 400, "BLOB_UPLOAD_INVALID");
        assertEquals("0-0", rangeOf(location));
    }

    @Test
    void rfcStyleContentRangeIsAccepted() {
        String location = client.startUpload("chunked/rfc");
        HttpResponse<byte[]> first = client.patch(location, Arrays.copyOfRange(CONTENT, 0, 10),
                "Content-Range", "bytes 0-9/*");
        assertEquals(202, first.statusCode(), () -> RegistryClient.text(first));
        assertEquals("0-9", header(first, "Range"));
        HttpResponse<byte[]> second = client.patch(location, Arrays.copyOfRange(CONTENT, 10, CONTENT.length),
                "Content-Range", "bytes 10-" + (CONTENT.length - 1) + "/" + CONTENT.length);
        assertEquals(202, second.statusCode(), () -> RegistryClient.text(second));
        assertEquals("0-" + (CONTENT.length - 1), header(second, "Range"));
    }

    @Test
    void wrongDigestAfterChunksPublishesNothingAndEndsTheSession() {
        String location = client.startUpload("chunked/wrong-digest");
        assertEquals(202, patch(location, CONTENT, 0, CONTENT.length).statusCode());
        String claimed = sha256(Arrays.copyOfRange(CONTENT, 1, CONTENT.length));

        assertError(client.put(withQuery(location, "digest=" + claimed), new byte[0]), 400, "DIGEST_INVALID");
        assertEquals(404, client.head("/v2/chunked/wrong-digest/blobs/" + claimed).statusCode());
        assertEquals(404, client.head("/v2/chunked/wrong-digest/blobs/" + sha256(CONTENT)).statusCode());
        assertError(client.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }
}
