package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.DIGEST;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;
import static org.stevedore.http.RegistryClient.withQuery;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.registry.Registry;

/** Cross-repository mount: {@code POST /v2/<target>/blobs/uploads/?mount=<digest>&from=<source>}. */
class MountTest {
    private static final byte[] CONTENT = utf8("a layer shared between repositories");

    private static Registry registry;
    private static RegistryClient client;
    private static String digest;

    @BeforeAll
    static void start() {
        registry = TestRegistries.builder().start();
        client = new RegistryClient(registry);
        digest = client.pushBlob("mount/source", CONTENT);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static HttpResponse<byte[]> mount(String target, String query) {
        return client.post("/v2/" + target + "/blobs/uploads/?" + query, new byte[0]);
    }

    /** Asserts a fallback to a new, empty upload session, and that it works. */
    private static void assertFellBackToUpload(HttpResponse<byte[]> response, String target) {
        assertEquals(202, response.statusCode(), () -> RegistryClient.text(response));
        String location = header(response, "Location");
        assertTrue(location.startsWith("/v2/" + target + "/blobs/uploads/"), location);
        assertEquals("0-0", header(response, "Range"));
        assertEquals(204, client.get(location).statusCode());
        byte[] content = utf8("uploaded after a refused mount to " + target);
        HttpResponse<byte[]> done = client.put(withQuery(location, "digest=" + sha256(content)), content);
        assertEquals(201, done.statusCode(), () -> RegistryClient.text(done));
    }

    @Test
    void mountLinksTheBlobIntoTheTarget() {
        assertEquals(404, client.head("/v2/mount/target/blobs/" + digest).statusCode());

        HttpResponse<byte[]> response = mount("mount/target", "mount=" + digest + "&from=mount/source");
        assertEquals(201, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals("/v2/mount/target/blobs/" + digest, header(response, "Location"));
        assertEquals(digest, header(response, DIGEST));

        HttpResponse<byte[]> pulled = client.get("/v2/mount/target/blobs/" + digest);
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(CONTENT, pulled.body());
        // The source keeps it too.
        assertEquals(200, client.head("/v2/mount/source/blobs/" + digest).statusCode());
    }

    @Test
    void mountedBlobsCanBeReferencedByAManifest() {
        byte[] config = utf8("{\"os\":\"linux\"}");
        String configDigest = client.pushBlob("mount/source", config);
        assertEquals(201, mount("mount/manifest", "mount=" + configDigest + "&from=mount/source").statusCode());
        assertEquals(201, mount("mount/manifest", "mount=" + digest + "&from=mount/source").statusCode());

        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryClient.OCI_MANIFEST + "\","
                + "\"config\":" + RegistryClient.descriptor(RegistryClient.OCI_CONFIG, configDigest, config.length)
                + ",\"layers\":[" + RegistryClient.descriptor(RegistryClient.OCI_LAYER, digest, CONTENT.length)
                + "]}");
        client.pushManifest("mount/manifest", "v1", RegistryClient.OCI_MANIFEST, manifest);
    }

    @Test
    void mountingTwiceIsHarmless() {
        assertEquals(201, mount("mount/twice", "mount=" + digest + "&from=mount/source").statusCode());
        HttpResponse<byte[]> again = mount("mount/twice", "mount=" + digest + "&from=mount/source");
        assertEquals(201, again.statusCode());
        assertArrayEquals(CONTENT, client.get("/v2/mount/twice/blobs/" + digest).body());
    }

    @Test
    void blobTheSourceLacksFallsBackToAnUploadSession() {
        String missing = sha256(utf8("in no repository"));
        HttpResponse<byte[]> response = mount("mount/missing", "mount=" + missing + "&from=mount/source");
        assertFellBackToUpload(response, "mount/missing");
        assertEquals(404, client.head("/v2/mount/missing/blobs/" + missing).statusCode());
    }

    @Test
    void blobStoredButNotInTheNamedSourceIsNotMounted() {
        // The store has the blob (through mount/source), but mount/other-source never linked it.
        client.pushBlob("mount/other-source", utf8("something else"));
        HttpResponse<byte[]> response = mount("mount/wrong-source", "mount=" + digest + "&from=mount/other-source");
        assertFellBackToUpload(response, "mount/wrong-source");
        assertEquals(404, client.head("/v2/mount/wrong-source/blobs/" + digest).statusCode());
    }

    @Test
    void mountWithoutFromFindsTheBlobItself() {
        HttpResponse<byte[]> response = mount("mount/no-from", "mount=" + digest);
        assertEquals(201, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals("/v2/mount/no-from/blobs/" + digest, header(response, "Location"));
        assertEquals(digest, header(response, DIGEST));
        assertArrayEquals(CONTENT, client.get("/v2/mount/no-from/blobs/" + digest).body());
    }

    @Test
    void mountWithoutFromOfAnUnknownBlobFallsBack() {
        HttpResponse<byte[]> response = mount("mount/no-from-unknown", "mount=" + sha256(utf8("nowhere")));
        assertFellBackToUpload(response, "mount/no-from-unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Not/Valid", "..%2Fx", "a//b", "-x", ""})
    void invalidFromFallsBackToAnUploadSession(String from) {
        String target = "mount/invalid-from-" + Math.abs(from.hashCode());
        HttpResponse<byte[]> response = mount(target, "mount=" + digest + "&from=" + from);
        assertFellBackToUpload(response, target);
        assertEquals(404, client.head("/v2/" + target + "/blobs/" + digest).statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256:abc", "nocolon", ""})
    void malformedMountDigestFallsBackToAnUploadSession(String mountDigest) {
        String target = "mount/invalid-digest-" + Math.abs(mountDigest.hashCode());
        HttpResponse<byte[]> response = mount(target, "mount=" + mountDigest + "&from=mount/source");
        assertFellBackToUpload(response, target);
    }
}
