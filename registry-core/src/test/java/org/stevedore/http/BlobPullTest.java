package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stevedore.http.RegistryClient.API_VERSION;
import static org.stevedore.http.RegistryClient.DIGEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.header;

import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.registry.Registry;

/** {@code GET} and {@code HEAD} of {@code /v2/<name>/blobs/<digest>}, whole and by range. */
class BlobPullTest {
    private static final String REPO = "pull/app";
    /** Larger than one copy buffer, so whole sends loop. */
    private static final byte[] CONTENT = RegistryClient.randomBytes(300 * 1024 + 7, 1);
    private static final int SIZE = CONTENT.length;

    private static Registry registry;
    private static RegistryClient client;
    private static String digest;
    private static String emptyDigest;

    @BeforeAll
    static void start() {
        registry = TestRegistries.builder().start();
        client = new RegistryClient(registry);
        digest = client.pushBlob(REPO, CONTENT);
        emptyDigest = client.pushBlob(REPO, new byte[0]);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static String blobPath(String d) {
        return "/v2/" + REPO + "/blobs/" + d;
    }

    @Test
    void getSendsBytesWithLengthAndDigest() {
        HttpResponse<byte[]> response = client.get(blobPath(digest));
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(SIZE), header(response, "Content-Length"));
        assertEquals(digest, header(response, DIGEST));
        assertEquals("registry/2.0", header(response, API_VERSION));
        assertArrayEquals(CONTENT, response.body());
        assertEquals(digest, RegistryClient.sha256(response.body()));
    }

    @Test
    void headSendsHeadersWithoutBody() {
        HttpResponse<byte[]> response = client.head(blobPath(digest));
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(SIZE), header(response, "Content-Length"));
        assertEquals(digest, header(response, DIGEST));
        assertEquals(0, response.body().length);
    }

    @Test
    void closedRangeSendsThatSlice() {
        HttpResponse<byte[]> response = client.get(blobPath(digest), "Range", "bytes=10-19");
        assertEquals(206, response.statusCode());
        assertEquals("bytes 10-19/" + SIZE, header(response, "Content-Range"));
        assertEquals("10", header(response, "Content-Length"));
        assertEquals(digest, header(response, DIGEST));
        assertArrayEquals(Arrays.copyOfRange(CONTENT, 10, 20), response.body());
    }

    @Test
    void openEndedRangeSendsToTheEnd() {
        int start = SIZE - 100_000;
        HttpResponse<byte[]> response = client.get(blobPath(digest), "Range", "bytes=" + start + "-");
        assertEquals(206, response.statusCode());
        assertEquals("bytes " + start + "-" + (SIZE - 1) + "/" + SIZE, header(response, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(CONTENT, start, SIZE), response.body());
    }

    @Test
    void suffixRangeSendsTheLastBytes() {
        HttpResponse<byte[]> response = client.get(blobPath(digest), "Range", "bytes=-7");
        assertEquals(206, response.statusCode());
        assertEquals("bytes " + (SIZE - 7) + "-" + (SIZE - 1) + "/" + SIZE, header(response, "Content-Range"));
        assertEquals("7", header(response, "Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(CONTENT, SIZE - 7, SIZE), response.body());
    }

    @Test
    void rangeEndingPastTheBlobIsCutToItsSize() {
        HttpResponse<byte[]> response = client.get(blobPath(digest), "Range", "bytes=5-99999999");
        assertEquals(206, response.statusCode());
        assertEquals("bytes 5-" + (SIZE - 1) + "/" + SIZE, header(response, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(CONTENT, 5, SIZE), response.body());
    }

    @Test
    void suffixLongerThanTheBlobSendsItAll() {
        HttpResponse<byte[]> response = client.get(blobPath(digest), "Range", "bytes=-" + (SIZE * 2));
        assertEquals(206, response.statusCode());
        assertEquals("bytes 0-" + (SIZE - 1) + "/" + SIZE, header(response, "Content-Range"));
        assertArrayEquals(CONTENT, response.body());
    }

    @Test
    void headWithRangeAnswersPartialWithoutBody() {
        HttpResponse<byte[]> response = client.head(blobPath(digest), "Range", "bytes=0-0");
        assertEquals(206, response.statusCode());
        assertEquals("bytes 0-0/" + SIZE, header(response, "Content-Range"));
        assertEquals("1", header(response, "Content-Length"));
        assertEquals(0, response.body().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-1,5-6", "items=0-5", "bytes=9-3"})
    void rangesItCannotServeAsOneAreIgnored(String range) {
        HttpResponse<byte[]> response = client.get(blobPath(digest), "Range", range);
        assertEquals(200, response.statusCode());
        assertArrayEquals(CONTENT, response.body());
    }

    @Test
    void rangeStartingAtTheSizeIsUnsatisfiable() {
        HttpResponse<byte[]> response = client.get(blobPath(digest), "Range", "bytes=" + SIZE + "-");
        assertError(response, 416, "BLOB_UPLOAD_INVALID");
        assertEquals("bytes */" + SIZE, header(response, "Content-Range"));
    }

    @Test
    void rangeWhollyPastTheEndIsUnsatisfiable() {
        HttpResponse<byte[]> response = client.get(blobPath(digest), "Range",
                "bytes=" + (SIZE + 10) + "-" + (SIZE + 20));
        assertError(response, 416, "BLOB_UPLOAD_INVALID");
        assertEquals("bytes */" + SIZE, header(response, "Content-Range"));
    }

    @Test
    void emptySuffixIsUnsatisfiable() {
        HttpResponse<byte[]> response = client.get(blobPath(digest), "Range", "bytes=-0");
        assertError(response, 416, "BLOB_UPLOAD_INVALID");
        assertEquals("bytes */" + SIZE, header(response, "Content-Range"));
    }

    @Test
    void emptyBlobIsServed() {
        HttpResponse<byte[]> response = client.get(blobPath(emptyDigest));
        assertEquals(200, response.statusCode());
        assertEquals("0", header(response, "Content-Length"));
        assertEquals(emptyDigest, header(response, DIGEST));
        assertEquals(0, response.body().length);
    }

    @Test
    void anyRangeOfTheEmptyBlobIsUnsatisfiable() {
        HttpResponse<byte[]> response = client.get(blobPath(emptyDigest), "Range", "bytes=0-");
        assertError(response, 416, "BLOB_UPLOAD_INVALID");
        assertEquals("bytes */0", header(response, "Content-Range"));
    }

    @Test
    void unknownBlobIsBlobUnknown() {
        String unknown = RegistryClient.sha256(RegistryClient.utf8("never pushed"));
        assertError(client.get(blobPath(unknown)), 404, "BLOB_UNKNOWN");
    }

    @Test
    void headOfUnknownBlobIs404WithoutBody() {
        String unknown = RegistryClient.sha256(RegistryClient.utf8("never pushed either"));
        HttpResponse<byte[]> response = client.head(blobPath(unknown));
        assertEquals(404, response.statusCode());
        assertEquals("registry/2.0", header(response, API_VERSION));
        assertEquals(0, response.body().length);
    }

    @Test
    void blobIsUnknownThroughARepositoryItWasNotPushedTo() {
        assertError(client.get("/v2/pull/other/blobs/" + digest), 404, "BLOB_UNKNOWN");
        HttpResponse<byte[]> head = client.head("/v2/pull/other/blobs/" + digest);
        assertEquals(404, head.statusCode());
        // Pushing anything to the other repository does not make it see this blob either.
        client.pushBlob("pull/other", RegistryClient.utf8("something else"));
        assertError(client.get("/v2/pull/other/blobs/" + digest), 404, "BLOB_UNKNOWN");
    }
}
