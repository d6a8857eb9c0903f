package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.ReferrersTest.EMPTY_CONFIG;
import static org.stevedore.http.ReferrersTest.SBOM;
import static org.stevedore.http.ReferrersTest.digests;
import static org.stevedore.http.ReferrersTest.pushReferrer;
import static org.stevedore.http.RegistryClient.OCI_INDEX;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.json;
import static org.stevedore.http.RegistryClient.sha256;
import static org.stevedore.http.RegistryClient.utf8;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.layout.StorageLayout;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * The referrers index lives in storage: a second node sees referrers pushed through the first;
 * a store written before the index existed (no {@code _manifests/referrers}) is indexed on first
 * use; referrers listed only under the fallback tag schema ({@code <alg>-<hex>}) are found.
 */
class ReferrersIndexTest {

    @Test
    void secondNodeSeesReferrersPushedThroughTheFirst() {
        StorageDriver shared = InMemoryDriver.create();
        try (Registry a = Registry.builder().storage(shared).start();
             Registry b = Registry.builder().storage(shared).start()) {
            RegistryClient clientA = new RegistryClient(a);
            RegistryClient clientB = new RegistryClient(b);
            String subject = sha256(clientA.pushImage("shared/app", "v1", "shared"));
            assertEquals(Set.of(), digests(json(clientB.get("/v2/shared/app/referrers/" + subject).body())));
            String first = pushReferrer(clientA, "shared/app", subject, Optional.of(SBOM), EMPTY_CONFIG, "one");
            assertEquals(Set.of(first), digests(json(clientB.get("/v2/shared/app/referrers/" + subject).body())));
            String second = pushReferrer(clientB, "shared/app", subject, Optional.of(SBOM), EMPTY_CONFIG, "two");
            assertEquals(202, clientB.delete("/v2/shared/app/manifests/" + first).statusCode());
            assertEquals(Set.of(second), digests(json(clientA.get("/v2/shared/app/referrers/" + subject).body())));
        }
    }

    @Test
    void storeWithoutIndexIsIndexedOnFirstUse() throws IOException {
        StorageDriver shared = InMemoryDriver.create();
        String subject;
        String referrer;
        try (Registry old = Registry.builder().storage(shared).start()) {
            RegistryClient client = new RegistryClient(old);
            subject = sha256(client.pushImage("legacy/app", "v1", "legacy"));
            referrer = pushReferrer(client, "legacy/app", subject, Optional.of(SBOM), EMPTY_CONFIG, "old");
        }
        // What a store written by distribution or an older Stevedore looks like: no index at all.
        RepositoryName name = RepositoryName.of("legacy/app");
        shared.delete(StorageLayout.referrersDirectory(name));
        assertTrue(shared.stat(StorageLayout.referrersDirectory(name)).isEmpty());

        try (Registry upgraded = Registry.builder().storage(shared).start()) {
            RegistryClient client = new RegistryClient(upgraded);
            assertEquals(Set.of(referrer), digests(json(client.get("/v2/legacy/app/referrers/" + subject).body())));
            assertTrue(shared.stat(StorageLayout.referrersBuiltMarker(name)).isPresent());
            assertTrue(shared.stat(StorageLayout.referrerLink(name,
                    org.stevedore.model.Digest.parse(subject), org.stevedore.model.Digest.parse(referrer))).isPresent());
        }
    }

    @Test
    void referrersOfTheFallbackTagSchemaAreFound() {
        try (Registry registry = Registry.builder().start()) {
            RegistryClient client = new RegistryClient(registry);
            String subject = sha256(client.pushImage("fallback/app", "v1", "fallback"));
            // A client of a registry without the API pushed the artifact (here without a subject
            // field, as old signing tools did) and listed it in an index tagged sha256-<hex>.
            byte[] artifact = client.imageManifest("fallback/app", OCI_MANIFEST, EMPTY_CONFIG,
                    "application/octet-stream", "signature");
            String artifactDigest = client.pushManifest("fallback/app", sha256(artifact), OCI_MANIFEST, artifact);
            String listed = "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + artifactDigest + "\",\"size\":"
                    + artifact.length + ",\"artifactType\":\"" + SBOM + "\"}";
            String tag = subject.replace(':', '-');
            byte[] pushable = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                    + listed + "]}");
            client.pushManifest("fallback/app", tag, OCI_INDEX, pushable);

            var body = json(client.get("/v2/fallback/app/referrers/" + subject).body());
            assertEquals(Set.of(artifactDigest), digests(body));
            assertEquals(SBOM, body.path("manifests").path(0).path("artifactType").asText());
        }
    }
}
