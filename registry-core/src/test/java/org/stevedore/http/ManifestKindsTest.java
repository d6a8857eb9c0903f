package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.DIGEST;
import static org.stevedore.http.RegistryClient.DOCKER_CONFIG;
import static org.stevedore.http.RegistryClient.DOCKER_LAYER;
import static org.stevedore.http.RegistryClient.DOCKER_MANIFEST;
import static org.stevedore.http.RegistryClient.DOCKER_MANIFEST_LIST;
import static org.stevedore.http.RegistryClient.OCI_CONFIG;
import static org.stevedore.http.RegistryClient.OCI_INDEX;
import static org.stevedore.http.RegistryClient.OCI_LAYER;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.descriptor;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stevedore.registry.Registry;

/**
 * The manifest kinds a registry must round-trip (OCI manifest and index, Docker schema2 and
 * manifest list), the {@code subject} field, and content negotiation with {@code Accept}.
 */
class ManifestKindsTest {
    private static final String REPO = "kinds/app";

    private static Registry registry;
    private static RegistryClient client;
    /** An OCI image manifest tagged {@code oci} in {@link #REPO}. */
    private static byte[] ociManifest;

    @BeforeAll
    static void start() {
        registry = TestRegistries.builder().start();
        client = new RegistryClient(registry);
        ociManifest = client.pushImage(REPO, "oci", "accept");
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static void assertServedAs(String name, String reference, String contentType, byte[] bytes) {
        HttpResponse<byte[]> response = client.get("/v2/" + name + "/manifests/" + reference);
        assertEquals(200, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals(contentType, header(response, "Content-Type"));
        assertEquals(sha256(bytes), header(response, DIGEST));
        assertArrayEquals(bytes, response.body());
    }

    @Test
    void ociManifestWithoutMediaTypeIsServedWithTheContentTypeItWasPushedWith() {
        byte[] config = utf8("{\"os\":\"linux\"}");
        String configDigest = client.pushBlob("kinds/podman", config);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"config\":" + descriptor(OCI_CONFIG, configDigest, config.length)
                + ",\"layers\":[]}");
        client.pushManifest("kinds/podman", "v1", OCI_MANIFEST, manifest);
        assertServedAs("kinds/podman", "v1", OCI_MANIFEST, manifest);
        assertServedAs("kinds/podman", sha256(manifest), OCI_MANIFEST, manifest);
    }

    @Test
    void ociIndexOfPushedManifestsRoundTrips() {
        byte[] amd64 = client.imageManifest("kinds/index", OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "amd64");
        byte[] arm64 = client.imageManifest("kinds/index", OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "arm64");
        client.pushManifest("kinds/index", sha256(amd64), OCI_MANIFEST, amd64);
        client.pushManifest("kinds/index", sha256(arm64), OCI_MANIFEST, arm64);
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + platformDescriptor(OCI_MANIFEST, amd64, "amd64") + ","
                + platformDescriptor(OCI_MANIFEST, arm64, "arm64") + "]}");

        String digest = client.pushManifest("kinds/index", "multi", OCI_INDEX, index);
        assertEquals(sha256(index), digest);
        assertServedAs("kinds/index", "multi", OCI_INDEX, index);
        assertServedAs("kinds/index", sha256(amd64), OCI_MANIFEST, amd64);
    }

    @Test
    void dockerSchema2ManifestRoundTrips() {
        byte[] manifest = client.imageManifest("kinds/docker", DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER, "d");
        client.pushManifest("kinds/docker", "v2", DOCKER_MANIFEST, manifest);
        assertServedAs("kinds/docker", "v2", DOCKER_MANIFEST, manifest);
        assertServedAs("kinds/docker", sha256(manifest), DOCKER_MANIFEST, manifest);
    }

    @Test
    void dockerManifestListRoundTrips() {
        byte[] child = client.imageManifest("kinds/docker-list", DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER, "c");
        client.pushManifest("kinds/docker-list", sha256(child), DOCKER_MANIFEST, child);
        byte[] list = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_MANIFEST_LIST + "\",\"manifests\":["
                + platformDescriptor(DOCKER_MANIFEST, child, "amd64") + "]}");
        client.pushManifest("kinds/docker-list", "multi", DOCKER_MANIFEST_LIST, list);
        assertServedAs("kinds/docker-list", "multi", DOCKER_MANIFEST_LIST, list);
    }

    @Test
    void subjectMayNameAManifestNotYetPushedAndIsEchoed() {
        String subject = sha256(utf8("an image pushed later"));
        byte[] config = utf8("{}");
        String configDigest = client.pushBlob("kinds/referrer", config);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.sbom\","
                + "\"config\":" + descriptor("application/vnd.oci.empty.v1+json", configDigest, config.length) + ","
                + "\"layers\":[],"
                + "\"subject\":" + descriptor(OCI_MANIFEST, subject, 123) + "}");

        HttpResponse<byte[]> response = client.put("/v2/kinds/referrer/manifests/" + sha256(manifest), manifest,
                "Content-Type", OCI_MANIFEST);
        assertEquals(201, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals(subject, header(response, "OCI-Subject"));
        assertServedAs("kinds/referrer", sha256(manifest), OCI_MANIFEST, manifest);
    }

    @Test
    void manifestWithoutSubjectHasNoSubjectHeader() {
        byte[] manifest = client.imageManifest(REPO, OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, "no-subject");
        HttpResponse<byte[]> response = client.put("/v2/" + REPO + "/manifests/plain", manifest,
                "Content-Type", OCI_MANIFEST);
        assertEquals(201, response.statusCode());
        assertTrue(response.headers().firstValue("OCI-Subject").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {OCI_MANIFEST, "*/*", "application/*",
            DOCKER_MANIFEST + ", " + OCI_MANIFEST, OCI_MANIFEST + "; q=0.5", "APPLICATION/VND.OCI.IMAGE.MANIFEST.V1+JSON"})
    void acceptNamingTheTypeOrAWildcardGetsTheManifest(String accept) {
        HttpResponse<byte[]> response = client.get("/v2/" + REPO + "/manifests/oci", "Accept", accept);
        assertEquals(200, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals(OCI_MANIFEST, header(response, "Content-Type"));
        assertArrayEquals(ociManifest, response.body());
    }

    @Test
    void noAcceptGetsTheManifest() {
        HttpResponse<byte[]> response = client.get("/v2/" + REPO + "/manifests/oci");
        assertEquals(200, response.statusCode());
        assertArrayEquals(ociManifest, response.body());
    }

    @Test
    void acceptSpreadOverSeveralHeadersIsHonoured() {
        HttpResponse<byte[]> response = client.get("/v2/" + REPO + "/manifests/oci",
                "Accept", DOCKER_MANIFEST, "Accept", OCI_INDEX, "Accept", OCI_MANIFEST);
        assertEquals(200, response.statusCode());
        assertArrayEquals(ociManifest, response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {DOCKER_MANIFEST, DOCKER_MANIFEST + ", " + DOCKER_MANIFEST_LIST, OCI_INDEX})
    void acceptListingOnlyOtherTypesIsManifestUnknown(String accept) {
        assertError(client.get("/v2/" + REPO + "/manifests/oci", "Accept", accept), 404, "MANIFEST_UNKNOWN");
        assertError(client.get("/v2/" + REPO + "/manifests/" + sha256(ociManifest), "Accept", accept),
                404, "MANIFEST_UNKNOWN");
        HttpResponse<byte[]> head = client.head("/v2/" + REPO + "/manifests/oci", "Accept", accept);
        assertEquals(404, head.statusCode());
        assertEquals(0, head.body().length);
    }

    private static String platformDescriptor(String mediaType, byte[] manifest, String architecture) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + sha256(manifest) + "\",\"size\":"
                + manifest.length + ",\"platform\":{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}}";
    }
}
