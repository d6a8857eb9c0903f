package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.API_VERSION;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;
import static org.stevedore.http.RegistryClient.withQuery;

import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.registry.Registry;

/**
 * Bad input never earns a 5xx: clients that disconnect or give up mid-body, malformed framing and
 * headers, odd methods. After each, the registry still serves and no partial data is visible.
 */
class ErrorHandlingTest {
    private static final int MIB = 1024 * 1024;

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

    @AfterEach
    void registryStillServes() {
        HttpResponse<byte[]> response = client.get("/v2/");
        assertEquals(200, response.statusCode());
    }

    private static byte[] head(String method, String path, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n" + client.hostHeader());
        for (String header : headers) head.append(header).append("\r\n");
        return utf8(head.append("\r\n").toString());
    }

    private static String rangeOf(String location) {
        HttpResponse<byte[]> status = client.get(location);
        assertEquals(204, status.statusCode(), () -> RegistryClient.text(status));
        return header(status, "Range");
    }

    /** The registry's answer to a body it could not read to the end. */
    private static void assertUnreadableBody(RegistryClient.RawResponse response) {
        assertEquals(400, response.status(), () -> new String(response.body()));
        assertEquals("registry/2.0", response.header(API_VERSION));
        RegistryClient.assertErrorBody(response.body(), "BLOB_UPLOAD_INVALID");
    }

    /** An answer to a request the client broke off: a 4xx, or none when the server hung up. */
    private static void assertClientErrorOrNone(RegistryClient.RawResponse response) {
        assertTrue(response.status() == -1 || response.status() >= 400 && response.status() < 500,
                () -> "answered " + response.status() + ": " + new String(response.body()));
    }

    @Test
    void everyAnswerCarriesTheApiVersion() {
        String location = client.startUpload("errors/version");
        byte[] content = utf8("0123456789");
        HttpResponse<?>[] answers = {
                client.get("/v2/"),
                client.post("/v2/errors/version/blobs/uploads/", new byte[0]),
                client.patch(location, content),
                client.get(location),
                client.put(withQuery(location, "digest=" + sha256(content)), new byte[0]),
                client.get("/v2/errors/version/blobs/" + sha256(content)),
                client.get("/v2/errors/version/blobs/" + sha256(content), "Range", "bytes=0-1"),
                client.get("/v2/errors/version/blobs/" + sha256(content), "Range", "bytes=99-"),
                client.get("/v2/errors/version/blobs/" + sha256(utf8("absent"))),
                client.send("POST", "/v2/", new byte[0]),
                client.get("/nowhere"),
                client.get("/v2/NOT/valid/tags/list")};
        for (HttpResponse<?> answer : answers) {
            assertEquals("registry/2.0", header(answer, API_VERSION), () -> answer.request() + " " + answer.statusCode());
        }
    }

    @Test
    void clientVanishingMidPatchCommitsNothing() {
        String location = client.startUpload("errors/vanish");
        client.sendAndDisconnect(head("PATCH", location, "Content-Length: " + MIB,
                "Content-Type: application/octet-stream"), new byte[100 * 1024]);

        // The session is still usable from the start: the PATCH takes the session's lock, so it
        // runs after the broken one, and a committed partial chunk would make it a 416.
        byte[] chunk = utf8("0123456789");
        HttpResponse<byte[]> resumed = client.patch(location, chunk, "Content-Range", "0-9");
        assertEquals(202, resumed.statusCode(), () -> RegistryClient.text(resumed));
        assertEquals("0-9", header(resumed, "Range"));
        HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + sha256(chunk)), new byte[0]);
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
        assertArrayEquals(chunk, client.get(header(done, "Location")).body());
    }

    @Test
    void clientGivingUpMidPatchGetsAClientErrorAndTheOffsetStays() {
        String location = client.startUpload("errors/give-up");
        assertEquals(202, client.patch(location, utf8("abc")).statusCode());

        RegistryClient.RawResponse response = client.raw(head("PATCH", location, "Content-Length: " + MIB,
                "Content-Range: 3-" + (MIB + 2)), new byte[100 * 1024], true);
        assertUnreadableBody(response);
        assertEquals("0-2", rangeOf(location));
    }

    @Test
    void clientGivingUpMidMonolithicPostLeavesNothing() {
        byte[] content = RegistryClient.randomBytes(MIB, 10);
        RegistryClient.RawResponse response = client.raw(head("POST",
                "/v2/errors/post-give-up/blobs/uploads/?digest=" + sha256(content), "Content-Length: " + MIB),
                Arrays.copyOf(content, 100 * 1024), true);
        assertUnreadableBody(response);
        assertEquals(404, client.head("/v2/errors/post-give-up/blobs/" + sha256(content)).statusCode());
        assertFalse(client.storesAnythingFor("errors/post-give-up"));
    }

    @Test
    void malformedChunkedBodyIsAClientErrorAndCommitsNothing() {
        String location = client.startUpload("errors/bad-chunks");
        assertEquals(202, client.patch(location, utf8("abc")).statusCode());
        RegistryClient.RawResponse response = client.raw(head("PATCH", location, "Transfer-Encoding: chunked",
                "Connection: close"), utf8("5\r\nhello\r\nzz\r\nnot hex\r\n0\r\n\r\n"), false);
        // Undertow drops the connection on broken chunk framing, after the handler began reading.
        assertClientErrorOrNone(response);
        HttpResponse<byte[]> next = client.patch(location, utf8("def"), "Content-Range", "3-5");
        assertEquals(202, next.statusCode(), () -> RegistryClient.text(next));
        assertEquals("0-5", header(next, "Range"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"this line has no colon", "Content-Length: abc", "Content-Length: -5",
            "Bad Name: value", "Content-Length: 3, 4"})
    void malformedHeaderIsAClientError(String badHeader) {
        RegistryClient.RawResponse response = client.raw(head("PATCH", client.startUpload("errors/headers"),
                badHeader, "Connection: close"), utf8("abc"), false);
        assertEquals(400, response.status());
    }

    @Test
    void conflictingContentLengthsAreAClientError() {
        String location = client.startUpload("errors/lengths");
        RegistryClient.RawResponse response = client.raw(head("PATCH", location, "Content-Length: 3",
                "Content-Length: 5", "Connection: close"), utf8("abcde"), false);
        assertEquals(400, response.status());
        assertEquals("0-0", rangeOf(location));
    }

    @Test
    void hugeHeaderIsRefused() {
        RegistryClient.RawResponse response = client.raw(head("GET", "/v2/", "X-Filler: " + "f".repeat(100 * 1024),
                "Connection: close"), new byte[0], false);
        assertClientErrorOrNone(response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/%zz/tags/list", "/v2/a%00b/tags/list", "/v2/a%2Fb/tags/list", "/v2/x/manifests/%ff",
            "/v2/x/blobs/sha256%3Aabc"})
    void oddEncodingsInThePathAreClientErrors(String path) {
        RegistryClient.RawResponse response = client.raw(head("GET", path, "Connection: close"), new byte[0], false);
        assertTrue(response.status() >= 400 && response.status() < 500,
                () -> path + " answered " + response.status() + ": " + new String(response.body()));
    }

    @Test
    void unknownMethodIsUnsupportedWithTheErrorJson() {
        RegistryClient.RawResponse response = client.raw(head("BREW", "/v2/", "Connection: close"), new byte[0], false);
        assertEquals(405, response.status());
        assertEquals("registry/2.0", response.header(API_VERSION));
        RegistryClient.assertErrorBody(response.body(), "UNSUPPORTED");
    }

    @Test
    void oversizedManifestIsRefusedBeforeItsBodyIsSent() {
        // With Expect: 100-continue the client waits; the registry answers from Content-Length alone.
        RegistryClient.RawResponse response = client.raw(head("PUT", "/v2/errors/huge/manifests/latest",
                "Content-Type: " + RegistryClient.OCI_MANIFEST, "Content-Length: " + (5 * MIB),
                "Expect: 100-continue", "Connection: close"), new byte[0], false);
        assertEquals(413, response.status(), () -> new String(response.body()));
        RegistryClient.assertErrorBody(response.body(), "MANIFEST_INVALID");
    }

    @Test
    void manifestBodyShorterThanItsLengthIsAClientError() {
        RegistryClient.RawResponse response = client.raw(head("PUT", "/v2/errors/short/manifests/latest",
                "Content-Type: " + RegistryClient.OCI_MANIFEST, "Content-Length: 1000"), utf8("{\"schemaVersion\""),
                true);
        assertUnreadableBody(response);
        assertEquals(404, client.head("/v2/errors/short/manifests/latest").statusCode());
    }

    @Test
    void manyBrokenRequestsLeaveTheRegistryHealthy() {
        for (int i = 0; i < 20; i++) {
            client.sendAndDisconnect(head("PATCH", client.startUpload("errors/many"), "Content-Length: " + MIB),
                    new byte[8 * 1024]);
        }
        byte[] content = utf8("still works");
        String digest = client.pushBlob("errors/many", content);
        assertArrayEquals(content, client.get("/v2/errors/many/blobs/" + digest).body());
    }
}
