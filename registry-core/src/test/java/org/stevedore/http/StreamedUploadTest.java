package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stevedore.http.RegistryClient.DIGEST;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;
import static org.stevedore.http.RegistryClient.withQuery;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/**
 * Streamed uploads: {@code PATCH} without {@code Content-Range}, the body appended as it comes,
 * with a known length or {@code Transfer-Encoding: chunked}; then {@code PUT ?digest=}.
 */
class StreamedUploadTest {
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

    /** A body of unknown length: {@code HttpClient} sends it with {@code Transfer-Encoding: chunked}. */
    private static HttpRequest.BodyPublisher unknownLength(byte[] bytes) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }

    private static void completeAndVerify(String name, String location, byte[] expected) {
        String digest = sha256(expected);
        HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + digest), new byte[0]);
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        assertEquals(digest, header(done, DIGEST));
        HttpResponse<byte[]> pulled = client.get("/v2/" + name + "/blobs/" + digest);
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(expected, pulled.body());
    }

    @Test
    void patchesWithoutContentRangeAppendInOrder() {
        byte[] first = utf8("streamed part one, ");
        byte[] second = utf8("and part two");
        String location = client.startUpload("streamed/known-length");

        HttpResponse<byte[]> one = client.patch(location, first, "Content-Type", "application/octet-stream");
        assertEquals(202, one.statusCode(), () -> RegistryClient.text(one));
        assertEquals("0-" + (first.length - 1), header(one, "Range"));
        location = header(one, "Location");

        HttpResponse<byte[]> two = client.patch(location, second);
        assertEquals(202, two.statusCode());
        assertEquals("0-" + (first.length + second.length - 1), header(two, "Range"));

        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(first);
        all.writeBytes(second);
        completeAndVerify("streamed/known-length", header(two, "Location"), all.toByteArray());
    }

    @Test
    void chunkedTransferEncodingFromHttpClientIsStreamed() {
        byte[] content = RegistryClient.randomBytes(3 * 1024 * 1024 + 17, 6);
        String location = client.startUpload("streamed/chunked");

        HttpResponse<byte[]> response = client.send("PATCH", location, unknownLength(content),
                "Content-Type", "application/octet-stream");
        assertEquals(202, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals("0-" + (content.length - 1), header(response, "Range"));
        completeAndVerify("streamed/chunked", header(response, "Location"), content);
    }

    @Test
    void chunkedPatchWrittenByHandIsStreamed() {
        String location = client.startUpload("streamed/raw");
        String body = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        RegistryClient.RawResponse response = client.raw("PATCH " + location + " HTTP/1.1\r\n"
                + client.hostHeader()
                + "Transfer-Encoding: chunked\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Connection: close\r\n\r\n"
                + body);
        assertEquals(202, response.status(), () -> new String(response.body()));
        assertEquals("0-10", response.header("Range"));
        completeAndVerify("streamed/raw", response.header("Location"), utf8("hello world"));
    }

    @Test
    void chunkedPatchWithAContentRangeIsChecked() {
        byte[] content = utf8("0123456789");
        String location = client.startUpload("streamed/chunked-range");
        HttpResponse<byte[]> first = client.send("PATCH", location, unknownLength(content),
                "Content-Range", "0-9");
        assertEquals(202, first.statusCode(), () -> RegistryClient.text(first));
        assertEquals("0-9", header(first, "Range"));

        // A streamed chunk shorter than its Content-Range is refused, and the offset stays.
        HttpResponse<byte[]> shortChunk = client.send("PATCH", location, unknownLength(utf8("abc")),
                "Content-Range", "10-19");
        RegistryClient.assertError(shortChunk, 400, "SIZE_INVALID");
        assertEquals("0-9", header(client.get(location), "Range"));
        completeAndVerify("streamed/chunked-range", location, content);
    }

    @Test
    void streamedAndRangedChunksMix() {
        byte[] content = RegistryClient.randomBytes(50, 7);
        String location = client.startUpload("streamed/mixed");
        assertEquals(202, client.patch(location, Arrays.copyOfRange(content, 0, 20)).statusCode());
        HttpResponse<byte[]> ranged = client.patch(location, Arrays.copyOfRange(content, 20, 30),
                "Content-Range", "20-29");
        assertEquals(202, ranged.statusCode(), () -> RegistryClient.text(ranged));
        HttpResponse<byte[]> streamed = client.send("PATCH", location,
                unknownLength(Arrays.copyOfRange(content, 30, 50)));
        assertEquals("0-49", header(streamed, "Range"));
        completeAndVerify("streamed/mixed", location, content);
    }

    @Test
    void emptyPatchLeavesTheOffset() {
        String location = client.startUpload("streamed/empty-patch");
        assertEquals(202, client.patch(location, utf8("abc")).statusCode());
        HttpResponse<byte[]> empty = client.patch(location, new byte[0]);
        assertEquals(202, empty.statusCode());
        assertEquals("0-2", header(empty, "Range"));
        completeAndVerify("streamed/empty-patch", location, utf8("abc"));
    }

    @Test
    void putMayStreamTheWholeBlobChunked() {
        byte[] content = RegistryClient.randomBytes(400 * 1024, 8);
        String digest = sha256(content);
        String location = client.startUpload("streamed/chunked-put");
        HttpResponse<byte[]> done = client.send("PUT", withQuery(location, "digest=" + digest),
                unknownLength(content));
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        assertArrayEquals(content, client.get("/v2/streamed/chunked-put/blobs/" + digest).body());
    }

    @Test
    void singlePostMayStreamChunked() {
        byte[] content = RegistryClient.randomBytes(300 * 1024, 9);
        String digest = sha256(content);
        HttpResponse<byte[]> done = client.send("POST", "/v2/streamed/chunked-post/blobs/uploads/?digest=" + digest,
                unknownLength(content));
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        assertArrayEquals(content, client.get("/v2/streamed/chunked-post/blobs/" + digest).body());
    }
}
