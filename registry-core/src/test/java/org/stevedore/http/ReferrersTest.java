package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.OCI_INDEX;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.assertError;
import static org.stevedore.http.RegistryClient.descriptor;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.json;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;

/**
 * The referrers API (distribution spec 1.1, "Listing Referrers", "Pushing Manifests with
 * Subject"): {@code OCI-Subject} on push; an image index of every manifest whose subject is the
 * digest, with each one's artifact type and annotations; the {@code artifactType} filter with
 * {@code OCI-Filters-Applied}; empty for unknown digests, 400 for malformed ones; deleted
 * referrers disappear; long lists are paged with {@code Link}.
 */
class ReferrersTest {
    static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
    static final String SBOM = "application/vnd.example.sbom.v1+json";
    static final String SIGNATURE = "application/vnd.example.signature.v1+json";

    private static Registry registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = Registry.builder().maxPageSize(3).start();
        client = new RegistryClient(registry);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** Pushes an artifact manifest with {@code subject} by digest; returns its digest. */
    static String pushReferrer(RegistryClient client, String name, String subject, Optional<String> artifactType,
                               String configType, String annotation) {
        byte[] config = utf8("{}");
        String configDigest = client.pushBlob(name, config);
        byte[] layer = utf8("payload " + annotation);
        String layerDigest = client.pushBlob(name, layer);
        byte[] subjectBytes = client.get("/v2/" + name + "/manifests/" + subject).body();
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + artifactType.map(t -> "\"artifactType\":\"" + t + "\",").orElse("")
                + "\"config\":" + descriptor(configType, configDigest, config.length) + ","
                + "\"layers\":[" + descriptor("application/octet-stream", layerDigest, layer.length) + "],"
                + "\"subject\":" + descriptor(OCI_MANIFEST, subject, subjectBytes.length) + ","
                + "\"annotations\":{\"org.example.name\":\"" + annotation + "\"}}";
        byte[] bytes = utf8(manifest);
        String digest = sha256(bytes);
        HttpResponse<byte[]> response = client.put("/v2/" + name + "/manifests/" + digest, bytes,
                "Content-Type", OCI_MANIFEST);
        assertEquals(201, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals(subject, header(response, "OCI-Subject"));
        return digest;
    }

    @Test
    void listsEveryReferrerWithArtifactTypeAndAnnotations() {
        String subject = sha256(client.pushImage("refs/list", "v1", "list"));
        String sbom = pushReferrer(client, "refs/list", subject, Optional.of(SBOM), EMPTY_CONFIG, "sbom");
        String signature = pushReferrer(client, "refs/list", subject, Optional.empty(), SIGNATURE, "sig");
        String index = pushIndexReferrer("refs/list", subject);

        HttpResponse<byte[]> response = client.get("/v2/refs/list/referrers/" + subject);
        assertEquals(200, response.statusCode(), () -> RegistryClient.text(response));
        assertEquals(OCI_INDEX, header(response, "Content-Type"));
        assertTrue(response.headers().firstValue("OCI-Filters-Applied").isEmpty());
        JsonNode body = json(response.body());
        assertEquals(2, body.path("schemaVersion").asInt());
        assertEquals(OCI_INDEX, body.path("mediaType").asText());
        assertEquals(Set.of(sbom, signature, index), digests(body));
        for (JsonNode d : body.path("manifests")) {
            String digest = d.path("digest").asText();
            String expectedType = digest.equals(sbom) ? SBOM : digest.equals(signature) ? SIGNATURE : SBOM;
            assertEquals(expectedType, d.path("artifactType").asText(), digest);
            assertEquals(digest.equals(index) ? OCI_INDEX : OCI_MANIFEST, d.path("mediaType").asText());
            assertTrue(d.path("size").asLong() > 0);
            assertEquals(1, d.path("annotations").size(), d.toString());
        }
    }

    @Test
    void artifactTypeFilterIsAppliedAndAnnounced() {
        String subject = sha256(client.pushImage("refs/filter", "v1", "filter"));
        String sbom = pushReferrer(client, "refs/filter", subject, Optional.of(SBOM), EMPTY_CONFIG, "sbom");
        pushReferrer(client, "refs/filter", subject, Optional.of(SIGNATURE), EMPTY_CONFIG, "sig");

        HttpResponse<byte[]> response = client.get("/v2/refs/filter/referrers/" + subject + "?artifactType="
                + java.net.URLEncoder.encode(SBOM, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode());
        assertEquals("artifactType", header(response, "OCI-Filters-Applied"));
        assertEquals(Set.of(sbom), digests(json(response.body())));

        HttpResponse<byte[]> none = client.get("/v2/refs/filter/referrers/" + subject + "?artifactType=x/none");
        assertEquals("artifactType", header(none, "OCI-Filters-Applied"));
        assertEquals(Set.of(), digests(json(none.body())));
    }

    @Test
    void unknownDigestAndRepositoryGiveAnEmptyIndex() {
        client.pushImage("refs/empty", "v1", "empty");
        for (String path : List.of("/v2/refs/empty/referrers/sha256:" + "0".repeat(64),
                "/v2/refs/never/referrers/sha256:" + "0".repeat(64))) {
            HttpResponse<byte[]> response = client.get(path);
            assertEquals(200, response.statusCode(), path);
            assertEquals(OCI_INDEX, header(response, "Content-Type"));
            assertEquals(0, json(response.body()).path("manifests").size());
            assertTrue(json(response.body()).path("manifests").isArray());
        }
    }

    @Test
    void malformedDigestIsBadRequest() {
        assertError(client.get("/v2/refs/bad/referrers/sha256:nothex"), 400, "DIGEST_INVALID");
        assertError(client.get("/v2/refs/bad/referrers/latest"), 400, "DIGEST_INVALID");
    }

    @Test
    void referrerOfAMissingSubjectIsAcceptedAndListed() {
        client.pushImage("refs/missing", "v1", "missing");
        String absent = "sha256:" + "a".repeat(64);
        byte[] config = utf8("{}");
        String configDigest = client.pushBlob("refs/missing", config);
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\"" + SBOM
                + "\",\"config\":" + descriptor(EMPTY_CONFIG, configDigest, 2) + ",\"layers\":[],"
                + "\"subject\":" + descriptor(OCI_MANIFEST, absent, 123) + "}");
        HttpResponse<byte[]> put = client.put("/v2/refs/missing/manifests/" + sha256(manifest), manifest,
                "Content-Type", OCI_MANIFEST);
        assertEquals(201, put.statusCode(), () -> RegistryClient.text(put));
        assertEquals(absent, header(put, "OCI-Subject"));
        assertEquals(Set.of(sha256(manifest)), digests(json(client.get("/v2/refs/missing/referrers/" + absent).body())));
    }

    @Test
    void deletedReferrerLeavesTheList() {
        String subject = sha256(client.pushImage("refs/delete", "v1", "delete"));
        String kept = pushReferrer(client, "refs/delete", subject, Optional.of(SBOM), EMPTY_CONFIG, "kept");
        String gone = pushReferrer(client, "refs/delete", subject, Optional.of(SBOM), EMPTY_CONFIG, "gone");
        assertEquals(202, client.delete("/v2/refs/delete/manifests/" + gone).statusCode());
        assertEquals(Set.of(kept), digests(json(client.get("/v2/refs/delete/referrers/" + subject).body())));
    }

    @Test
    void longListsArePagedWithLinkFollowedToTheEnd() {
        String subject = sha256(client.pushImage("refs/paged", "v1", "paged"));
        Set<String> pushed = new TreeSet<>();
        for (int i = 0; i < 7; i++) {
            pushed.add(pushReferrer(client, "refs/paged", subject, Optional.of(SBOM), EMPTY_CONFIG, "r" + i));
        }
        List<String> seen = new ArrayList<>();
        String next = "/v2/refs/paged/referrers/" + subject + "?n=2";
        int pages = 0;
        while (next != null) {
            HttpResponse<byte[]> page = client.get(next);
            assertEquals(200, page.statusCode(), () -> RegistryClient.text(page));
            JsonNode manifests = json(page.body()).path("manifests");
            assertTrue(manifests.size() <= 2);
            manifests.forEach(d -> seen.add(d.path("digest").asText()));
            Optional<String> link = page.headers().firstValue("Link");
            next = link.map(l -> l.substring(l.indexOf('<') + 1, l.indexOf('>'))).orElse(null);
            link.ifPresent(l -> assertTrue(l.endsWith("rel=\"next\""), l));
            pages++;
        }
        assertEquals(4, pages);
        assertEquals(new ArrayList<>(pushed), seen);

        // Without n the registry's page size (3 here) applies, and Link still leads to the end.
        HttpResponse<byte[]> first = client.get("/v2/refs/paged/referrers/" + subject);
        assertEquals(3, json(first.body()).path("manifests").size());
        assertTrue(header(first, "Link").contains("last="));
    }

    @Test
    void filterIsKeptInTheNextLink() {
        String subject = sha256(client.pushImage("refs/paged-filter", "v1", "paged-filter"));
        for (int i = 0; i < 4; i++) {
            pushReferrer(client, "refs/paged-filter", subject, Optional.of(SBOM), EMPTY_CONFIG, "s" + i);
            pushReferrer(client, "refs/paged-filter", subject, Optional.of(SIGNATURE), EMPTY_CONFIG, "g" + i);
        }
        int total = 0;
        String next = "/v2/refs/paged-filter/referrers/" + subject + "?artifactType=" + SBOM.replace("+", "%2B");
        while (next != null) {
            HttpResponse<byte[]> page = client.get(next);
            assertEquals("artifactType", header(page, "OCI-Filters-Applied"));
            for (JsonNode d : json(page.body()).path("manifests")) {
                assertEquals(SBOM, d.path("artifactType").asText());
                total++;
            }
            next = page.headers().firstValue("Link").map(l -> l.substring(l.indexOf('<') + 1, l.indexOf('>')))
                    .orElse(null);
        }
        assertEquals(4, total);
    }

    @Test
    void referrersAreReadable() {
        String subject = sha256(client.pushImage("refs/pull", "v1", "pull"));
        String sbom = pushReferrer(client, "refs/pull", subject, Optional.of(SBOM), EMPTY_CONFIG, "pull");
        HttpResponse<byte[]> listed = client.get("/v2/refs/pull/referrers/" + subject);
        String digest = json(listed.body()).path("manifests").path(0).path("digest").asText();
        assertEquals(sbom, digest);
        HttpResponse<byte[]> manifest = client.get("/v2/refs/pull/manifests/" + digest);
        assertEquals(200, manifest.statusCode());
        assertEquals(digest, sha256(manifest.body()));
        assertFalse(json(manifest.body()).path("subject").isMissingNode());
    }

    private String pushIndexReferrer(String name, String subject) {
        byte[] child = client.pushImage(name, "child", "index-child");
        byte[] subjectBytes = client.get("/v2/" + name + "/manifests/" + subject).body();
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"artifactType\":\"" + SBOM + "\","
                + "\"manifests\":[" + descriptor(OCI_MANIFEST, sha256(child), child.length) + "],"
                + "\"subject\":" + descriptor(OCI_MANIFEST, subject, subjectBytes.length) + ","
                + "\"annotations\":{\"org.example.name\":\"index\"}}");
        HttpResponse<byte[]> put = client.put("/v2/" + name + "/manifests/" + sha256(index), index,
                "Content-Type", OCI_INDEX);
        assertEquals(201, put.statusCode(), () -> RegistryClient.text(put));
        assertEquals(subject, header(put, "OCI-Subject"));
        return sha256(index);
    }

    static Set<String> digests(JsonNode index) {
        Set<String> digests = new TreeSet<>();
        index.path("manifests").forEach(d -> digests.add(d.path("digest").asText()));
        return digests;
    }
}
