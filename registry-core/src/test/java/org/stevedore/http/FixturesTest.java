package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.http.RegistryClient.OCI_INDEX;
import static org.stevedore.http.RegistryClient.OCI_MANIFEST;
import static org.stevedore.http.RegistryClient.header;
import static org.stevedore.http.RegistryClient.json;
import static org.stevedore.http.RegistryClient.sha256;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stevedore.model.Digest;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.Fixtures;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.registry.fixtures.PushedIndex;
import org.stevedore.registry.fixtures.RegistryContents;
import org.stevedore.service.RegistryService;
import org.stevedore.storage.memory.InMemoryDriver;

/** Fixtures store content without HTTP; a client then pulls exactly what they reported. */
class FixturesTest {
    private Registry registry;
    private RegistryClient client;

    @BeforeEach
    void start() {
        registry = Registry.builder().start();
        client = new RegistryClient(registry);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void pushedImageIsServedWithTheReportedDigestsAndRealTarGzLayers() throws Exception {
        PushedImage image = registry.fixtures().pushImage("fix/app", "1", ImageSpec.layers(10, 70_000).seed(7));
        HttpResponse<byte[]> manifest = client.get("/v2/fix/app/manifests/1", "Accept", OCI_MANIFEST);
        assertEquals(200, manifest.statusCode());
        assertEquals(image.manifest().toString(), sha256(manifest.body()));
        assertEquals(2, image.layers().size());
        JsonNode layers = json(manifest.body()).path("layers");
        for (int i = 0; i < 2; i++) {
            Digest layer = image.layers().get(i);
            assertEquals(layer.toString(), layers.get(i).path("digest").asText());
            byte[] blob = client.get("/v2/fix/app/blobs/" + layer).body();
            assertEquals(layer.toString(), sha256(blob));
            byte[] tar = new GZIPInputStream(new ByteArrayInputStream(blob)).readAllBytes();
            assertEquals("layer-" + i + "/content.bin", new String(tar, 0, 19, StandardCharsets.US_ASCII));
            assertEquals("ustar", new String(tar, 257, 5, StandardCharsets.US_ASCII));
        }
        JsonNode config = json(client.get("/v2/fix/app/blobs/" + image.config()).body());
        assertEquals("amd64", config.path("architecture").asText());
        assertEquals(2, config.path("rootfs").path("diff_ids").size());
    }

    @Test
    void sameSeedGivesSameDigestsAndRandomBytesHaveExactSizes() {
        PushedImage a = registry.fixtures().pushImage("fix/a", "1", ImageSpec.layers(1000).randomBytes().seed(1));
        PushedImage b = registry.fixtures().pushImage("fix/b", "1", ImageSpec.layers(1000).randomBytes().seed(1));
        assertEquals(a.manifest(), b.manifest());
        HttpResponse<byte[]> blob = client.get("/v2/fix/a/blobs/" + a.layers().get(0));
        assertEquals(1000, blob.body().length);
    }

    @Test
    void pushedIndexListsOneImagePerPlatform() {
        PushedIndex index = registry.fixtures().pushIndex("fix/multi", "latest", ImageSpec.layers(100),
                Platform.LINUX_AMD64, Platform.LINUX_ARM64);
        HttpResponse<byte[]> response = client.get("/v2/fix/multi/manifests/latest", "Accept", OCI_INDEX);
        assertEquals(index.index().toString(), header(response, "Docker-Content-Digest"));
        JsonNode manifests = json(response.body()).path("manifests");
        assertEquals(2, manifests.size());
        assertEquals("arm64", manifests.get(1).path("platform").path("architecture").asText());
        for (int i = 0; i < 2; i++) {
            String digest = index.images().get(i).manifest().toString();
            assertEquals(digest, manifests.get(i).path("digest").asText());
            assertEquals(200, client.get("/v2/fix/multi/manifests/" + digest, "Accept", OCI_MANIFEST).statusCode());
        }
        assertEquals(List.of("latest"), registry.contents().tags("fix/multi"));
        assertEquals(3, registry.contents().manifests("fix/multi").size());
    }

    @Test
    void artifactNamesItsSubject() {
        PushedImage image = registry.fixtures().pushImage("fix/signed", "1", 32);
        PushedImage signature = registry.fixtures().pushArtifact("fix/signed", image.manifest(),
                "application/vnd.example.signature", "signature".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = client.get("/v2/fix/signed/manifests/" + signature.manifest(),
                "Accept", OCI_MANIFEST);
        assertEquals(200, response.statusCode());
        JsonNode manifest = json(response.body());
        assertEquals(image.manifest().toString(), manifest.path("subject").path("digest").asText());
        assertEquals(image.manifestSize(), manifest.path("subject").path("size").asLong());
        assertEquals("application/vnd.example.signature", manifest.path("artifactType").asText());
        assertEquals("signature", new String(client.get("/v2/fix/signed/blobs/" + signature.layers().get(0)).body(),
                StandardCharsets.UTF_8));
    }

    @Test
    void contentsTellWhatIsStoredAndResetEmptiesIt() {
        PushedImage image = registry.fixtures().pushImage("fix/one", "1", 8);
        registry.fixtures().pushImage("fix/two", "2", 8);
        RegistryContents contents = registry.contents();
        assertEquals(List.of("fix/one", "fix/two"), contents.repositories());
        assertEquals(List.of("1"), contents.tags("fix/one"));
        assertEquals(List.of(), contents.tags("fix/none"));
        assertEquals(List.of(image.manifest()), contents.manifests("fix/one"));
        assertTrue(contents.manifest("fix/one", "1").isPresent());
        assertTrue(contents.manifest("fix/one", "2").isEmpty());
        assertTrue(contents.hasBlob(image.layers().get(0)));
        assertTrue(contents.hasBlob("fix/one", image.config()));
        assertFalse(contents.hasBlob("fix/two", image.config()));

        client.get("/v2/fix/one/manifests/1");
        registry.faults().failNext(1, "*", "/", 500);
        registry.reset();
        assertEquals(List.of(), registry.contents().repositories());
        assertFalse(registry.contents().hasBlob(image.layers().get(0)));
        assertEquals(List.of(), registry.events().all());
        assertEquals(0, registry.faults().pending());
        assertEquals(404, client.get("/v2/fix/one/manifests/1").statusCode());
    }

    @Test
    void workWithoutAnyServer() {
        RegistryService service = RegistryService.over(InMemoryDriver.create());
        PushedImage image = Fixtures.over(service).pushImage("offline/app", "1", 64, 64);
        RegistryContents contents = RegistryContents.over(service);
        assertEquals(List.of("offline/app"), contents.repositories());
        assertEquals(image.manifest(), contents.manifest("offline/app", "1").orElseThrow().digest());
    }

    /** Core alone reads no archives: the two archive fixtures name the module that does. */
    @Test
    void importAndExportNameTheModuleTheyNeed() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> registry.fixtures().importImage(java.nio.file.Path.of("app.tar"), "fix/app", "1"));
        assertTrue(missing.getMessage().contains("org.stevedore:registry-images"), missing.getMessage());
        assertThrows(IllegalStateException.class,
                () -> registry.fixtures().exportImage("fix/app", "1", java.nio.file.Path.of("layout")));
    }
}
