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

import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.registry.Registry;

/** Whole-blob uploads: one {@code POST ?digest=}, or {@code POST} then one {@code PUT} with the body. */
class MonolithicUploadTest {
    private static final String EMPTY_SHA256 =
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

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
    void singlePostWithDigestCreatesTheBlob() {
        byte[] content = utf8("a small layer");
        String digest = sha256(content);
        HttpResponse<byte[]> response = client.post("/v2/mono/single/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream");
        assertEquals(201, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals("/v2/mono/single/blobs/" + digest, header(response, "Location"));
        assertEquals(digest, header(response, DIGEST));

        HttpResponse<byte[]> pulled = client.get(header(response, "Location"));
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(content, pulled.body());
    }

    @Test
    void singlePostWithWrongDigestIsRefusedAndNothingBecomesVisible() {
        byte[] content = utf8("the real bytes");
        String claimed = sha256(utf8("other bytes"));
        HttpResponse<byte[]> response = client.post("/v2/mono/wrong/blobs/uploads/?digest=" + claimed, content);
        assertError(response, 400, "DIGEST_INVALID");

        assertEquals(404, client.head("/v2/mono/wrong/blobs/" + claimed).statusCode());
        assertEquals(404, client.head("/v2/mono/wrong/blobs/" + sha256(content)).statusCode());
        assertFalse(client.storesAnythingFor("mono/wrong"));
    }

    @Test
    void emptyBlobCanBePushed() {
        assertEquals(EMPTY_SHA256, sha256(new byte[0]));
        HttpResponse<byte[]> response = client.post("/v2/mono/empty/blobs/uploads/?digest=" + EMPTY_SHA256,
                new byte[0]);
        assertEquals(201, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals(EMPTY_SHA256, header(response, DIGEST));

        HttpResponse<byte[]> pulled = client.get("/v2/mono/empty/blobs/" + EMPTY_SHA256);
        assertEquals(200, pulled.statusCode());
        assertEquals("0", header(pulled, "Content-Length"));
        assertEquals(0, pulled.body().length);
    }

    @Test
    void postThenPutWithTheWholeBodyCreatesTheBlob() {
        byte[] content = RegistryClient.randomBytes(700 * 1024 + 3, 2);
        String digest = sha256(content);
        String location = client.startUpload("mono/two-step");

        HttpResponse<byte[]> response = client.put(withQuery(location, "digest=" + digest), content,
                "Content-Type", "application/octet-stream");
        assertEquals(201, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals("/v2/mono/two-step/blobs/" + digest, header(response, "Location"));
        assertEquals(digest, header(response, DIGEST));
        assertArrayEquals(content, client.get("/v2/mono/two-step/blobs/" + digest).body());
    }

    @Test
    void putWithWrongDigestEndsTheSessionAndPublishesNothing() {
        byte[] content = utf8("content of a failed put");
        String claimed = sha256(utf8("not this"));
        String location = client.startUpload("mono/wrong-put");

        assertError(client.put(withQuery(location, "digest=" + claimed), content), 400, "DIGEST_INVALID");
        assertError(client.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertEquals(404, client.head("/v2/mono/wrong-put/blobs/" + claimed).statusCode());
        assertEquals(404, client.head("/v2/mono/wrong-put/blobs/" + sha256(content)).statusCode());
    }

    @Test
    void largeSinglePostKeepsEveryByte() {
        byte[] content = RegistryClient.randomBytes(3 * 1024 * 1024 + 11, 3);
        String digest = client.pushBlob("mono/large", content);
        HttpResponse<byte[]> pulled = client.get("/v2/mono/large/blobs/" + digest);
        assertEquals(String.valueOf(content.length), header(pulled, "Content-Length"));
        assertArrayEquals(content, pulled.body());
    }

    @Test
    void sha512DigestIsVerifiedAndServed() throws Exception {
        byte[] content = utf8("hashed with sha512");
        String digest = "sha512:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(content));
        HttpResponse<byte[]> response = client.post("/v2/mono/sha512/blobs/uploads/?digest=" + digest, content);
        assertEquals(201, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals(digest, header(response, DIGEST));

        HttpResponse<byte[]> pulled = client.get("/v2/mono/sha512/blobs/" + digest);
        assertEquals(200, pulled.statusCode());
        assertEquals(digest, header(pulled, DIGEST));
        assertArrayEquals(content, pulled.body());
    }

    @Test
    void digestOfAnAlgorithmTheRegistryCannotComputeIsRefused() {
        String digest = "md5:" + "0".repeat(32);
        HttpResponse<byte[]> response = client.post("/v2/mono/md5/blobs/uploads/?digest=" + digest,
                utf8("anything"));
        assertError(response, 400, "DIGEST_INVALID");
        assertEquals(404, client.head("/v2/mono/md5/blobs/" + digest).statusCode());
        assertFalse(client.storesAnythingFor("mono/md5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:abc", "nocolon", "sha256:" + "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"})
    void malformedDigestIsRefusedWithoutLeavingASession(String digest) {
        String name = "mono/malformed-" + Math.abs(digest.hashCode());
        assertError(client.post("/v2/" + name + "/blobs/uploads/?digest=" + digest, utf8("x")),
                400, "DIGEST_INVALID");
        // No session the client never heard of was left behind.
        assertFalse(client.storesAnythingFor(name));
    }

    @Test
    void pushingAKnownBlobAgainSucceedsInTheSameAndAnotherRepository() {
        byte[] content = utf8("pushed three times");
        String digest = client.pushBlob("mono/again", content);
        assertEquals(digest, client.pushBlob("mono/again", content));
        assertEquals(digest, client.pushBlob("mono/again-elsewhere", content));
        assertArrayEquals(content, client.get("/v2/mono/again/blobs/" + digest).body());
        assertArrayEquals(content, client.get("/v2/mono/again-elsewhere/blobs/" + digest).body());
    }
}
