package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.API_VERSION;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;
import static org.stevedore.http.RegistryClient.withQuery;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.registry.Registry;

/**
 * How paths become routes: the version check, repository names with slashes and route words in
 * them, unknown paths (a bare 404, as distribution answers), wrong methods (405), and names, tags
 * and digests outside the grammar: 400 for a write, the 404 of what was asked for on a read.
 */
class RoutingTest {
    private static final String SOME_DIGEST = sha256(utf8("routing"));

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

    @Test
    void versionCheckAnswers200WithTheApiVersion() {
        HttpResponse<byte[]> response = client.get("/v2/");
        assertEquals(200, response.statusCode());
        assertEquals("registry/2.0", header(response, API_VERSION));
        assertEquals("{}", new String(response.body()));
        assertTrue(header(response, "Content-Type").startsWith("application/json"));
    }

    @Test
    void versionCheckWorksWithoutTrailingSlashAndAsHead() {
        assertEquals(200, client.get("/v2").statusCode());
        HttpResponse<byte[]> head = client.head("/v2/");
        assertEquals(200, head.statusCode());
        assertEquals("registry/2.0", header(head, API_VERSION));
        assertEquals(0, head.body().length);
    }

    /** Every route works for names that are nested or contain the words routes end with. */
    @ParameterizedTest
    @ValueSource(strings = {"a/b/c", "x/blobs/y", "x/manifests", "x/blobs/uploads", "tags/list", "x/tags",
            "blobs", "uploads", "manifests", "v2/x", "a/referrers/b", "one.two_three__four-five---six/7"})
    void everyRouteWorksForTrickyNames(String name) {
        byte[] blob = utf8("monolithic blob of " + name);
        String blobDigest = client.pushBlob(name, blob);
        assertArrayEquals(blob, client.get("/v2/" + name + "/blobs/" + blobDigest).body());

        byte[] chunk = utf8("chunked blob of " + name);
        String location = client.startUpload(name);
        assertEquals(202, client.patch(location, chunk, "Content-Range", "0-" + (chunk.length - 1)).statusCode());
        assertEquals(204, client.get(location).statusCode());
        HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + sha256(chunk)), new byte[0]);
        assertEquals("/v2/" + name + "/blobs/" + sha256(chunk), header(done, "Location"));
        assertEquals(200, client.head(header(done, "Location")).statusCode());

        byte[] manifest = client.pushImage(name, "list", name);
        assertArrayEquals(manifest, client.get("/v2/" + name + "/manifests/list").body());
        assertArrayEquals(manifest, client.get("/v2/" + name + "/manifests/" + sha256(manifest)).body());
        String tags = RegistryClient.json(client.get("/v2/" + name + "/tags/list").body()).toString();
        assertEquals("{\"name\":\"" + name + "\",\"tags\":[\"list\"]}", tags);
        assertTrue(RegistryClient.json(client.get("/v2/_catalog").body()).path("repositories").toString()
                .contains("\"" + name + "\""));
    }

    @Test
    void nameOf255CharactersIsAccepted() {
        String name = "n".repeat(120) + "/" + "m".repeat(134);
        assertEquals(255, name.length());
        byte[] blob = utf8("long name");
        String digest = client.pushBlob(name, blob);
        assertArrayEquals(blob, client.get("/v2/" + name + "/blobs/" + digest).body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v3/", "/v1/_ping", "/favicon.ico", "/v2/x", "/v2/x/tags", "/v2/x/unknown/thing",
            "/v2/_catalog/x", "/v2/x/blob/" + "sha256:0", "/v2/x/blobs/uploads/id/extra", "/v2/x/manifest/latest"})
    void unknownPathIsABare404AsInDistribution(String path) {
        HttpResponse<byte[]> response = client.get(path);
        assertEquals(404, response.statusCode());
        assertEquals("registry/2.0", header(response, API_VERSION));
        assertEquals("text/plain; charset=utf-8", header(response, "Content-Type"));
        assertEquals("404 page not found\n", new String(response.body()));
        assertEquals(404, client.head(path).statusCode());
        assertEquals(404, client.send("POST", path, new byte[0]).statusCode());
    }

    @ParameterizedTest
    @CsvSource({
            "POST, /v2/x/manifests/t, 'DELETE, GET, HEAD, PUT'",
            "PATCH, /v2/x/blobs/" + "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                    + ", 'DELETE, GET, HEAD'",
            "PUT, /v2/, 'GET, HEAD'",
            "POST, /v2/_catalog, GET",
            "GET, /v2/x/blobs/uploads/, POST",
            "PUT, /v2/x/blobs/uploads/, POST",
            "POST, /v2/x/tags/list, GET",
            "POST, /v2/x/blobs/uploads/some-id, 'DELETE, GET, PATCH, PUT'"})
    void wrongMethodIsUnsupportedWithAllow(String method, String path, String allow) {
        HttpResponse<byte[]> response = client.send(method, path, new byte[0]);
        assertError(response, 405, "UNSUPPORTED");
        assertEquals(allow, header(response, "Allow"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"A/b", "ab/Cd", "-x", "x-", "x.", "a___b", "a..b", "a/-b", "a%20b", "a:b", "a@b"})
    void nameOutsideTheGrammarIsNameInvalidOnWritesAndUnknownOnReads(String name) {
        assertError(client.post("/v2/" + name + "/blobs/uploads/", new byte[0]), 400, "NAME_INVALID");
        assertError(client.put("/v2/" + name + "/manifests/latest", utf8("{}"), "Content-Type", RegistryClient.OCI_MANIFEST),
                400, "NAME_INVALID");
        // The spec asks referrers for a 400 on an invalid request, never a 404.
        assertError(client.get("/v2/" + name + "/referrers/" + SOME_DIGEST), 400, "NAME_INVALID");
        // A read of a repository that cannot exist: 404, and the detail still says why.
        String detail = assertError(client.get("/v2/" + name + "/tags/list"), 404, "NAME_UNKNOWN").path("detail").asText();
        assertTrue(detail.startsWith("invalid repository name "), detail);
        assertError(client.get("/v2/" + name + "/manifests/latest"), 404, "NAME_UNKNOWN");
        assertError(client.get("/v2/" + name + "/blobs/" + SOME_DIGEST), 404, "NAME_UNKNOWN");
        assertEquals(404, client.head("/v2/" + name + "/manifests/latest").statusCode());
        assertEquals(404, client.head("/v2/" + name + "/blobs/" + SOME_DIGEST).statusCode());
    }

    @Test
    void nameLongerThan255CharactersIsNameInvalid() {
        assertError(client.get("/v2/" + "a".repeat(300) + "/tags/list"), 404, "NAME_UNKNOWN");
        assertError(client.post("/v2/" + "a".repeat(128) + "/" + "b".repeat(127) + "/blobs/uploads/", new byte[0]),
                400, "NAME_INVALID");
    }

    /** Paths an HTTP client would normalise, sent as written over a socket. */
    @ParameterizedTest
    @ValueSource(strings = {"../x", "a//b", "a/./b", "a/../b", "./a", "a/.."})
    void dotAndEmptySegmentsAreRefusedNotResolved(String name) {
        for (String suffix : new String[] {"/tags/list", "/blobs/uploads/", "/manifests/latest"}) {
            String method = suffix.startsWith("/blobs/uploads") ? "POST" : "GET";
            RegistryClient.RawResponse response = client.raw(method + " /v2/" + name + suffix + " HTTP/1.1\r\n"
                    + client.hostHeader() + "Content-Length: 0\r\nConnection: close\r\n\r\n");
            boolean read = method.equals("GET");
            assertEquals(read ? 404 : 400, response.status(), () -> name + suffix + ": " + new String(response.body()));
            assertEquals("registry/2.0", response.header(API_VERSION));
            RegistryClient.assertErrorBody(response.body(), read ? "NAME_UNKNOWN" : "NAME_INVALID");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:abc", "notadigest", "sha256:", ":", "sha256:" + "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555", "sha256:zz", "Sha256:abcd"})
    void malformedDigestInABlobUrlIsUnknownOnReadsAndInvalidOnDelete(String digest) {
        assertError(client.get("/v2/x/blobs/" + digest), 404, "BLOB_UNKNOWN");
        HttpResponse<byte[]> head = client.head("/v2/x/blobs/" + digest);
        assertEquals(404, head.statusCode());
        assertError(client.delete("/v2/x/blobs/" + digest), 400, "DIGEST_INVALID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:abc", "notadigest", "12345", ":", "sha256:zz"})
    void malformedDigestInAReferrersUrlIsDigestInvalidAsTheSpecAsks(String digest) {
        assertError(client.get("/v2/x/referrers/" + digest), 400, "DIGEST_INVALID");
    }

    /** The conformance suite's own case: {@code .INVALID_MANIFEST_NAME} can be no tag. */
    @ParameterizedTest
    @ValueSource(strings = {".INVALID_MANIFEST_NAME", "-x", "a%21b", "tag-longer-than-128-characters-" + "ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"})
    void malformedTagIsManifestUnknownOnReadsAndTagInvalidOnPut(String tag) {
        assertError(client.get("/v2/x/manifests/" + tag), 404, "MANIFEST_UNKNOWN");
        HttpResponse<byte[]> head = client.head("/v2/x/manifests/" + tag);
        assertEquals(404, head.statusCode());
        assertEquals("registry/2.0", header(head, API_VERSION));
        assertError(client.put("/v2/x/manifests/" + tag, utf8("{}"), "Content-Type", RegistryClient.OCI_MANIFEST),
                400, "TAG_INVALID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:abc", "sha256:", ":", "sha512:abc", "sha256:" + "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"})
    void malformedDigestInAManifestUrlIsUnknownOnReadsAndInvalidOnPut(String digest) {
        assertError(client.get("/v2/x/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
        assertError(client.put("/v2/x/manifests/" + digest, utf8("{}"), "Content-Type", RegistryClient.OCI_MANIFEST),
                400, "DIGEST_INVALID");
    }

    @Test
    void digestOfAnUnknownAlgorithmIsParsedAndSimplyNotFound() {
        assertError(client.get("/v2/x/blobs/blake3:" + "a".repeat(64)), 404, "BLOB_UNKNOWN");
        assertError(client.get("/v2/x/manifests/blake3:" + "a".repeat(64)), 404, "MANIFEST_UNKNOWN");
    }
}
