package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.OCI_CONFIG;
import static org.stevedore.http.RegistryClient.OCI_INDEX;
import static org.stevedore.http.RegistryClient.OCI_LAYER;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.descriptor;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.registry.Registry;

/** Manifests the registry refuses, each with the spec's error code, and nothing stored after a refusal. */
class ManifestValidationTest {
    private static final String REPO = "invalid/app";
    private static final byte[] CONFIG = utf8("{\"os\":\"linux\"}");
    private static final byte[] LAYER = utf8("layer bytes");

    private static Registry registry;
    private static RegistryClient client;
    private static String configDigest;
    private static String layerDigest;

    @BeforeAll
    static void start() {
        registry = TestRegistries.builder().start();
        client = new RegistryClient(registry);
        configDigest = client.pushBlob(REPO, CONFIG);
        layerDigest = client.pushBlob(REPO, LAYER);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static byte[] manifest(String config, String... layers) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + config
                + ",\"layers\":[" + String.join(",", layers) + "]}");
    }

    /** A valid manifest whose bytes no other test uses. */
    private static byte[] uniqueManifest(String note) {
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor(OCI_CONFIG, configDigest, CONFIG.length)
                + ",\"layers\":[],\"annotations\":{\"note\":\"" + note + "\"}}");
    }

    private static HttpResponse<byte[]> put(String reference, byte[] manifest, String contentType) {
        return client.put("/v2/" + REPO + "/manifests/" + reference, manifest, "Content-Type", contentType);
    }

    /** Asserts the refusal and that neither the tag nor the digest became visible. */
    private static JsonNode assertRefused(String tag, byte[] manifest, String contentType, int status, String code) {
        JsonNode error = assertError(put(tag, manifest, contentType), status, code);
        assertError(client.get("/v2/" + REPO + "/manifests/" + tag), 404, "MANIFEST_UNKNOWN");
        assertError(client.get("/v2/" + REPO + "/manifests/" + sha256(manifest)), 404, "MANIFEST_UNKNOWN");
        return error;
    }

    @Test
    void validManifestIsAcceptedAsAControl() {
        byte[] manifest = manifest(descriptor(OCI_CONFIG, configDigest, CONFIG.length),
                descriptor(OCI_LAYER, layerDigest, LAYER.length));
        assertEquals(201, put("control", manifest, OCI_MANIFEST).statusCode());
    }

    @Test
    void missingConfigBlobIsManifestBlobUnknown() {
        String missing = sha256(utf8("config never pushed"));
        byte[] manifest = manifest(descriptor(OCI_CONFIG, missing, 10), descriptor(OCI_LAYER, layerDigest, LAYER.length));
        JsonNode error = assertRefused("no-config", manifest, OCI_MANIFEST, 400, "MANIFEST_BLOB_UNKNOWN");
        assertTrue(error.path("detail").asText().contains(missing), error::toString);
    }

    @Test
    void missingLayerBlobIsManifestBlobUnknown() {
        String missing = sha256(utf8("layer never pushed"));
        byte[] manifest = manifest(descriptor(OCI_CONFIG, configDigest, CONFIG.length),
                descriptor(OCI_LAYER, layerDigest, LAYER.length), descriptor(OCI_LAYER, missing, 10));
        JsonNode error = assertRefused("no-layer", manifest, OCI_MANIFEST, 400, "MANIFEST_BLOB_UNKNOWN");
        assertTrue(error.path("detail").asText().contains(missing), error::toString);
    }

    @Test
    void blobOfAnotherRepositoryIsManifestBlobUnknown() {
        String foreign = client.pushBlob("invalid/other", utf8("only in the other repository"));
        byte[] manifest = manifest(descriptor(OCI_CONFIG, configDigest, CONFIG.length), descriptor(OCI_LAYER, foreign, 28));
        assertRefused("foreign-layer", manifest, OCI_MANIFEST, 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void indexWithAMissingChildIsManifestBlobUnknown() {
        String missing = sha256(utf8("child manifest never pushed"));
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + descriptor(OCI_MANIFEST, missing, 300) + "]}");
        assertRefused("no-child", index, OCI_INDEX, 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void schema1ManifestIsRefusedAsSuch() {
        byte[] manifest = utf8("{\"schemaVersion\":1,\"name\":\"" + REPO + "\",\"tag\":\"old\",\"architecture\":\"amd64\","
                + "\"fsLayers\":[{\"blobSum\":\"" + layerDigest + "\"}],\"history\":[{\"v1Compatibility\":\"{}\"}]}");
        for (String contentType : new String[] {"application/vnd.docker.distribution.manifest.v1+prettyjws",
                "application/vnd.docker.distribution.manifest.v1+json", "application/json"}) {
            JsonNode error = assertRefused("schema1", manifest, contentType, 400, "MANIFEST_INVALID");
            assertTrue(error.path("detail").asText().contains("schema1"), error::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "", "[]", "\"a string\"", "{\"schemaVersion\":2}",
            "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"layers\":[]}",
            "{\"schemaVersion\":3,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{},\"layers\":[]}",
            "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\"} trailing"})
    void malformedDocumentIsManifestInvalid(String text) {
        assertRefused("malformed", utf8(text), OCI_MANIFEST, 400, "MANIFEST_INVALID");
    }

    @Test
    void descriptorWithABadDigestIsManifestInvalid() {
        byte[] manifest = manifest(descriptor(OCI_CONFIG, "sha256:short", 2));
        assertRefused("bad-descriptor", manifest, OCI_MANIFEST, 400, "MANIFEST_INVALID");
    }

    @Test
    void mediaTypeContradictingTheContentTypeIsManifestInvalid() {
        byte[] manifest = uniqueManifest("contradiction");
        assertRefused("contradiction", manifest, RegistryClient.DOCKER_MANIFEST, 400, "MANIFEST_INVALID");
    }

    @Test
    void manifestOverFourMebibytesIsTooLarge() {
        String filler = "x".repeat(4 * 1024 * 1024);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor(OCI_CONFIG, configDigest, CONFIG.length)
                + ",\"layers\":[],\"annotations\":{\"filler\":\"" + filler + "\"}}");
        assertRefused("huge", manifest, OCI_MANIFEST, 413, "MANIFEST_INVALID");
    }

    @Test
    void manifestJustUnderTheLimitIsAccepted() {
        String head = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor(OCI_CONFIG, configDigest, CONFIG.length) + ",\"layers\":[],\"annotations\":{\"filler\":\"";
        String tail = "\"}}";
        byte[] manifest = utf8(head + "y".repeat(4 * 1024 * 1024 - head.length() - tail.length()) + tail);
        assertEquals(4 * 1024 * 1024, manifest.length);
        assertEquals(201, put("limit", manifest, OCI_MANIFEST).statusCode());
        assertEquals(manifest.length, client.get("/v2/" + REPO + "/manifests/limit").body().length);
    }

    @Test
    void putByDigestThatDoesNotMatchTheBytesIsDigestInvalid() {
        byte[] manifest = uniqueManifest("wrong digest");
        String wrong = sha256(Arrays.copyOf(manifest, manifest.length - 1));
        assertError(put(wrong, manifest, OCI_MANIFEST), 400, "DIGEST_INVALID");
        assertError(client.get("/v2/" + REPO + "/manifests/" + wrong), 404, "MANIFEST_UNKNOWN");
        assertError(client.get("/v2/" + REPO + "/manifests/" + sha256(manifest)), 404, "MANIFEST_UNKNOWN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-leading-dash", ".dot", "has+plus"})
    void invalidTagIsTagInvalid(String tag) {
        byte[] manifest = uniqueManifest("invalid tag " + tag);
        assertError(put(tag, manifest, OCI_MANIFEST), 400, "TAG_INVALID");
    }

    @Test
    void tagLongerThan128CharactersIsTagInvalid() {
        byte[] manifest = uniqueManifest("long tag");
        assertError(put("t".repeat(129), manifest, OCI_MANIFEST), 400, "TAG_INVALID");
        assertEquals(201, put("t".repeat(128), manifest, OCI_MANIFEST).statusCode());
    }
}
