package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;

/**
 * Jib (jib-core) pushes a three-layer image built from generated files into an in-memory Stevedore,
 * then the registry's answers are checked over plain HTTP against the digests Jib reported, and
 * Jib pulls the image back into a tarball. One registry for the class.
 */
class JibPushPullIT {
    private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final int LAYERS = 3;
    private static final int FILES_PER_LAYER = 3;

    @TempDir
    static Path work;
    private static Registry registry;
    private static RegistryHttp http;
    /** Per layer: path inside the image (no leading slash) to content. */
    private static final List<Map<String, byte[]>> layerFiles = new ArrayList<>();
    private static JibContainer pushed;

    @BeforeAll
    static void pushImage() throws Exception {
        registry = Registry.builder().start();
        http = new RegistryHttp(registry.url());
        Random random = new Random(20240601);
        JibContainerBuilder image = Jib.fromScratch();
        for (int layer = 0; layer < LAYERS; layer++) {
            FileEntriesLayer.Builder entries = FileEntriesLayer.builder().setName("layer-" + layer);
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int file = 0; file < FILES_PER_LAYER; file++) {
                // One file over 2 MiB: large request bodies must stream, not hit a size limit.
                int size = layer == 0 && file == 0 ? (3 << 20) : 1024 + random.nextInt(256 * 1024);
                byte[] content = new byte[size];
                random.nextBytes(content);
                String inImage = "app/layer-" + layer + "/file-" + file + ".bin";
                Path source = work.resolve("source").resolve(inImage);
                Files.createDirectories(source.getParent());
                Files.write(source, content);
                entries.addEntry(source, AbsoluteUnixPath.get("/" + inImage));
                files.put(inImage, content);
            }
            image.addFileEntriesLayer(entries.build());
            layerFiles.add(files);
        }
        pushed = image.setEntrypoint("/app/layer-0/file-0.bin")
                .containerize(containerizer(Containerizer.to(RegistryImage.named(reference("jib/app:1")))));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) registry.close();
    }

    @Test
    void servesManifestWithTheDigestsJibReported() throws Exception {
        HttpResponse<byte[]> response = http.get("/v2/jib/app/manifests/1", DOCKER_MANIFEST);
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        assertEquals(pushed.getDigest().toString(), Digests.sha256(response.body()), "digest of the served bytes");
        assertEquals(pushed.getDigest().toString(), response.headers().firstValue("Docker-Content-Digest").orElse(""));
        assertEquals(DOCKER_MANIFEST, response.headers().firstValue("Content-Type").orElse(""));
        JsonNode manifest = RegistryHttp.parse(response.body());
        assertEquals(pushed.getImageId().toString(), manifest.path("config").path("digest").asText());
        assertEquals(LAYERS, manifest.path("layers").size());

        byte[] byDigest = http.getOk("/v2/jib/app/manifests/" + pushed.getDigest(), DOCKER_MANIFEST);
        assertEquals(Digests.sha256(response.body()), Digests.sha256(byDigest), "manifest by digest");
        assertEquals("[\"1\"]", http.json("/v2/jib/app/tags/list").path("tags").toString());
    }

    @Test
    void servesConfigAndEveryLayerWithTheirDigestsAndFiles() throws Exception {
        JsonNode manifest = RegistryHttp.parse(http.getOk("/v2/jib/app/manifests/1", DOCKER_MANIFEST));
        byte[] configBytes = http.getOk("/v2/jib/app/blobs/" + pushed.getImageId(), "*/*");
        assertEquals(pushed.getImageId().toString(), Digests.sha256(configBytes), "config blob digest");
        JsonNode diffIds = RegistryHttp.parse(configBytes).path("rootfs").path("diff_ids");
        for (int i = 0; i < LAYERS; i++) {
            JsonNode descriptor = manifest.path("layers").get(i);
            String digest = descriptor.path("digest").asText();
            byte[] blob = http.getOk("/v2/jib/app/blobs/" + digest, "*/*");
            assertEquals(digest, Digests.sha256(blob), "layer " + i + " digest");
            assertEquals(descriptor.path("size").asLong(), blob.length, "layer " + i + " size");
            byte[] tar = Tar.gunzip(blob);
            assertEquals(diffIds.get(i).asText(), Digests.sha256(tar), "layer " + i + " diff id");
            assertSameFiles(layerFiles.get(i), Tar.read(tar), "layer " + i);
        }
    }

    @Test
    void pullsTheImageBackIntoATarball() throws Exception {
        Path tarball = work.resolve("pulled.tar");
        Jib.from(RegistryImage.named(reference("jib/app:1")))
                .containerize(containerizer(Containerizer.to(TarImage.at(tarball).named("pulled/app:1"))));

        Map<String, byte[]> entries = Tar.read(Files.readAllBytes(tarball));
        JsonNode tarManifest = RegistryHttp.parse(entries.get("manifest.json")).get(0);
        JsonNode registryManifest = RegistryHttp.parse(http.getOk("/v2/jib/app/manifests/1", DOCKER_MANIFEST));
        JsonNode layers = tarManifest.path("Layers");
        assertEquals(LAYERS, layers.size(), "layers in the tarball: " + tarManifest);
        for (int i = 0; i < LAYERS; i++) {
            byte[] layer = entries.get(layers.get(i).asText());
            assertTrue(layer != null, "tarball lacks " + layers.get(i) + "; it has " + entries.keySet());
            assertEquals(registryManifest.path("layers").get(i).path("digest").asText(), Digests.sha256(layer),
                    "pulled layer " + i);
            assertSameFiles(layerFiles.get(i), Tar.read(Tar.gunzip(layer)), "pulled layer " + i);
        }
    }

    @Test
    void pushesOciFormatWhenAsked() throws Exception {
        Path source = Files.writeString(work.resolve("oci.txt"), "oci format");
        JibContainer oci = Jib.fromScratch()
                .setFormat(ImageFormat.OCI)
                .addFileEntriesLayer(FileEntriesLayer.builder().addEntry(source, AbsoluteUnixPath.get("/oci.txt")).build())
                .containerize(containerizer(Containerizer.to(RegistryImage.named(reference("jib/oci:1")))));

        HttpResponse<byte[]> response = http.get("/v2/jib/oci/manifests/1", RegistryHttp.MANIFEST_TYPES);
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        assertEquals(OciImage.MANIFEST_TYPE, response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(oci.getDigest().toString(), Digests.sha256(response.body()));
        assertEquals(oci.getImageId().toString(),
                RegistryHttp.parse(response.body()).path("config").path("digest").asText());
    }

    @Test
    void buildsOnThePushedImageInAnotherRepository() throws Exception {
        Path source = Files.writeString(work.resolve("extra.txt"), "one more layer");
        JibContainer derived = Jib.from(RegistryImage.named(reference("jib/app:1")))
                .addFileEntriesLayer(FileEntriesLayer.builder().addEntry(source, AbsoluteUnixPath.get("/extra.txt")).build())
                .containerize(containerizer(Containerizer.to(RegistryImage.named(reference("jib/derived:2")))));

        JsonNode base = RegistryHttp.parse(http.getOk("/v2/jib/app/manifests/1", DOCKER_MANIFEST));
        byte[] bytes = http.getOk("/v2/jib/derived/manifests/2", DOCKER_MANIFEST);
        assertEquals(derived.getDigest().toString(), Digests.sha256(bytes));
        JsonNode layers = RegistryHttp.parse(bytes).path("layers");
        assertEquals(LAYERS + 1, layers.size());
        for (int i = 0; i < layers.size(); i++) {
            String digest = layers.get(i).path("digest").asText();
            if (i < LAYERS) assertEquals(base.path("layers").get(i).path("digest").asText(), digest, "base layer " + i);
            // Base layers reach the new repository by cross-repository mount or upload; either way served here.
            assertEquals(digest, Digests.sha256(http.getOk("/v2/jib/derived/blobs/" + digest, "*/*")));
        }
    }

    private static Containerizer containerizer(Containerizer target) {
        return target.setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(work.resolve("jib-cache/base"))
                .setApplicationLayersCache(work.resolve("jib-cache/application"))
                .setToolName("stevedore-interop-tests")
                .addEventHandler(LogEvent.class, event -> {
                    if (event.getLevel().compareTo(LogEvent.Level.WARN) <= 0) {
                        System.out.println("[jib " + event.getLevel() + "] " + event.getMessage());
                    }
                });
    }

    private static String reference(String repositoryAndTag) {
        return registry.hostPort() + "/" + repositoryAndTag;
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": files");
        for (Map.Entry<String, byte[]> file : expected.entrySet()) {
            assertEquals(Digests.sha256(file.getValue()), Digests.sha256(actual.get(file.getKey())),
                    what + ": content of " + file.getKey());
        }
    }
}
