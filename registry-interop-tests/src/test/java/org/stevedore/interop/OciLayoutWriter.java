package org.stevedore.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes small random images as an OCI image layout directory (image-spec {@code image-layout.md}):
 * {@code oci-layout}, {@code index.json} naming the top manifest by tag, and {@code blobs/sha256/<hex>}
 * for every manifest, config and layer. Each layer is a gzipped tar of one random (incompressible)
 * file; a single image's first layer is over 2 MiB.
 */
final class OciLayoutWriter {
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciLayoutWriter() {
    }

    /** Writes one image of {@code layers} layers, tagged {@code tag}, into {@code directory}. */
    static OciImage write(Path directory, String tag, int layers, long seed) throws IOException {
        return write(directory, tag, layers, seed, true);
    }

    /** As {@link #write(Path, String, int, long)}; without {@code largeFirstLayer} every layer is 8 to 72 KiB. */
    static OciImage write(Path directory, String tag, int layers, long seed, boolean largeFirstLayer) throws IOException {
        createLayout(directory);
        OciImage image = writeImage(directory, layers, new Random(seed), "amd64", largeFirstLayer);
        writeIndexJson(directory, tag, OciImage.MANIFEST_TYPE, image.manifestDigest(), image.manifest().length);
        return image;
    }

    /**
     * Writes an image index (a multi-platform image) listing one two-layer image per architecture,
     * tagged {@code tag}, with every blob of every image.
     */
    static OciIndex writeIndex(Path directory, String tag, List<String> architectures, long seed)
            throws IOException {
        createLayout(directory);
        Random random = new Random(seed);
        List<OciImage> images = new ArrayList<>();
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (String architecture : architectures) {
            OciImage image = writeImage(directory, 2, random, architecture, false);
            images.add(image);
            Map<String, Object> entry = descriptor(OciImage.MANIFEST_TYPE, image.manifestDigest(),
                    image.manifest().length);
            entry.put("platform", Map.of("architecture", architecture, "os", "linux"));
            manifests.add(entry);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX_TYPE);
        index.put("manifests", manifests);
        byte[] bytes = JSON.writeValueAsBytes(index);
        String digest = writeBlob(directory, bytes);
        writeIndexJson(directory, tag, INDEX_TYPE, digest, bytes.length);
        return new OciIndex(digest, bytes, images);
    }

    private static void createLayout(Path directory) throws IOException {
        Files.createDirectories(directory.resolve("blobs/sha256"));
        Files.writeString(directory.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    /** With {@code largeFirstLayer}, layer 0 exceeds 2 MiB, past common default request-body limits. */
    private static OciImage writeImage(Path directory, int layers, Random random, String architecture,
                                       boolean largeFirstLayer) throws IOException {
        List<Map<String, Object>> layerDescriptors = new ArrayList<>();
        List<String> layerDigests = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            int size = i == 0 && largeFirstLayer ? (2 << 20) + random.nextInt(1 << 20) : 8 * 1024 + random.nextInt(64 * 1024);
            byte[] content = new byte[size];
            random.nextBytes(content);
            byte[] tar = Tar.write(Map.of("data/layer-" + i + ".bin", content));
            byte[] gzipped = Tar.gzip(tar);
            String digest = writeBlob(directory, gzipped);
            layerDigests.add(digest);
            diffIds.add(Digests.sha256(tar));
            layerDescriptors.add(descriptor(OciImage.LAYER_TYPE, digest, gzipped.length));
        }

        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", diffIds);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("created", "2024-01-01T00:00:00Z");
        config.put("architecture", architecture);
        config.put("os", "linux");
        config.put("config", Map.of("Env", List.of("NONCE=" + random.nextLong())));
        config.put("rootfs", rootfs);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configDigest = writeBlob(directory, configBytes);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OciImage.MANIFEST_TYPE);
        manifest.put("config", descriptor(OciImage.CONFIG_TYPE, configDigest, configBytes.length));
        manifest.put("layers", layerDescriptors);
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        String manifestDigest = writeBlob(directory, manifestBytes);
        return new OciImage(manifestDigest, manifestBytes, configDigest, layerDigests);
    }

    private static void writeIndexJson(Path directory, String tag, String mediaType, String digest, long size)
            throws IOException {
        Map<String, Object> entry = descriptor(mediaType, digest, size);
        entry.put("annotations", Map.of("org.opencontainers.image.ref.name", tag));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("manifests", List.of(entry));
        Files.write(directory.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    private static String writeBlob(Path directory, byte[] bytes) throws IOException {
        String digest = Digests.sha256(bytes);
        Files.write(directory.resolve("blobs/sha256").resolve(Digests.hex(digest)), bytes);
        return digest;
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest);
        descriptor.put("size", size);
        return descriptor;
    }
}
