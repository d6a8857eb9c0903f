package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stevedore.http.RegistryClient.DIGEST;
import static org.stevedore.http.RegistryClient.OCI_CONFIG;
import static org.stevedore.http.RegistryClient.OCI_LAYER;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/** Pushing and pulling manifests by tag and by digest: status, headers and exact bytes. */
class ManifestTest {
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
    void putByTagAnswersCreatedWithLocationAndDigest() {
        byte[] manifest = client.imageManifest("manifest/by-tag", OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "by-tag");
        HttpResponse<byte[]> response = client.put("/v2/manifest/by-tag/manifests/v1", manifest,
                "Content-Type", OCI_MANIFEST);
        assertEquals(201, response.statusCode(), () -> RegistryClient.text(response));
        String digest = sha256(manifest);
        assertEquals(digest, header(response, DIGEST));
        assertEquals("/v2/manifest/by-tag/manifests/" + digest, header(response, "Location"));
        assertEquals("registry/2.0", header(response, RegistryClient.API_VERSION));

        HttpResponse<byte[]> pulled = client.get(header(response, "Location"));
        assertEquals(200, pulled.statusCode());
        assertArrayEquals(manifest, pulled.body());
    }

    @Test
    void getByTagAndByDigestServeTheSameBytes() {
        byte[] manifest = client.pushImage("manifest/get", "stable", "get");
        String digest = sha256(manifest);

        for (String reference : new String[] {"stable", digest}) {
            HttpResponse<byte[]> response = client.get("/v2/manifest/get/manifests/" + reference);
            assertEquals(200, response.statusCode(), reference);
            assertEquals(OCI_MANIFEST, header(response, "Content-Type"));
            assertEquals(digest, header(response, DIGEST));
            assertEquals(String.valueOf(manifest.length), header(response, "Content-Length"));
            assertArrayEquals(manifest, response.body());
        }
    }

    @Test
    void headByTagAndByDigestAnswerHeadersOnly() {
        byte[] manifest = client.pushImage("manifest/head", "stable", "head");
        String digest = sha256(manifest);

        for (String reference : new String[] {"stable", digest}) {
            HttpResponse<byte[]> response = client.head("/v2/manifest/head/manifests/" + reference);
            assertEquals(200, response.statusCode(), reference);
            assertEquals(OCI_MANIFEST, header(response, "Content-Type"));
            assertEquals(digest, header(response, DIGEST));
            assertEquals(String.valueOf(manifest.length), header(response, "Content-Length"));
            assertEquals(0, response.body().length);
        }
    }

    @Test
    void putByDigestAnswersCreatedWithLocationAndDigest() {
        byte[] manifest = client.imageManifest("manifest/by-digest", OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "d");
        String digest = sha256(manifest);
        HttpResponse<byte[]> response = client.put("/v2/manifest/by-digest/manifests/" + digest, manifest,
                "Content-Type", OCI_MANIFEST);
        assertEquals(201, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals(digest, header(response, DIGEST));
        assertEquals("/v2/manifest/by-digest/manifests/" + digest, header(response, "Location"));

        assertArrayEquals(manifest, client.get("/v2/manifest/by-digest/manifests/" + digest).body());
    }

    @Test
    void bytesAreKeptExactlyAsPushed() {
        byte[] config = utf8("{}");
        String configDigest = client.pushBlob("manifest/bytes", config);
        // Odd whitespace, key order and a trailing newline: re-serialising would change the digest.
        String text = "{\n\t\"schemaVersion\" :   2 ,\r\n  \"layers\":[ ],\n"
                + "   \"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{ \"size\":2,"
                + "\"digest\":\"" + configDigest + "\" , \"mediaType\":\"" + OCI_CONFIG + "\"}\n}\n\n";
        byte[] manifest = utf8(text);
        String digest = client.pushManifest("manifest/bytes", "odd", OCI_MANIFEST, manifest);
        assertEquals(sha256(manifest), digest);

        HttpResponse<byte[]> byTag = client.get("/v2/manifest/bytes/manifests/odd");
        assertArrayEquals(manifest, byTag.body());
        assertEquals(digest, header(byTag, DIGEST));
        assertArrayEquals(manifest, client.get("/v2/manifest/bytes/manifests/" + digest).body());
    }

    @Test
    void pushingATagAgainMovesIt() {
        byte[] first = client.pushImage("manifest/moving", "latest", "first");
        byte[] second = client.pushImage("manifest/moving", "latest", "second");

        HttpResponse<byte[]> latest = client.get("/v2/manifest/moving/manifests/latest");
        assertEquals(sha256(second), header(latest, DIGEST));
        assertArrayEquals(second, latest.body());
        // The first revision is still there by digest.
        HttpResponse<byte[]> old = client.get("/v2/manifest/moving/manifests/" + sha256(first));
        assertEquals(200, old.statusCode());
        assertArrayEquals(first, old.body());
    }

    @Test
    void oneManifestMayCarrySeveralTags() {
        byte[] manifest = client.pushImage("manifest/tags", "1.0", "tags");
        client.pushManifest("manifest/tags", "1", OCI_MANIFEST, manifest);
        client.pushManifest("manifest/tags", "latest", OCI_MANIFEST, manifest);
        for (String tag : new String[] {"1.0", "1", "latest"}) {
            assertEquals(sha256(manifest), header(client.head("/v2/manifest/tags/manifests/" + tag), DIGEST));
        }
    }

    @Test
    void unknownTagIsManifestUnknown() {
        client.pushImage("manifest/unknown", "present", "unknown");
        assertError(client.get("/v2/manifest/unknown/manifests/absent"), 404, "MANIFEST_UNKNOWN");
        assertError(client.get("/v2/manifest/never-pushed/manifests/latest"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void unknownDigestIsManifestUnknown() {
        String digest = sha256(utf8("no such manifest"));
        assertError(client.get("/v2/manifest/unknown/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void headOfUnknownManifestIs404WithoutBody() {
        HttpResponse<byte[]> response = client.head("/v2/manifest/unknown/manifests/absent");
        assertEquals(404, response.statusCode());
        assertEquals("registry/2.0", header(response, RegistryClient.API_VERSION));
        assertEquals(0, response.body().length);
    }

    @Test
    void manifestIsUnknownThroughAnotherRepository() {
        byte[] manifest = client.pushImage("manifest/home", "v1", "home");
        client.pushBlob("manifest/stranger", utf8("anything"));
        assertError(client.get("/v2/manifest/stranger/manifests/" + sha256(manifest)), 404, "MANIFEST_UNKNOWN");
        assertError(client.get("/v2/manifest/stranger/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    }
}
