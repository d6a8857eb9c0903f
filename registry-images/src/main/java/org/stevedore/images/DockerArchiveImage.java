package org.stevedore.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.MediaType;

/**
 * An image of a {@code docker save} archive that has only {@code manifest.json} (no registry
 * manifest), made into what {@code skopeo copy docker-archive:... docker://...} pushes: the config
 * as it is (so the image ID stays), each uncompressed layer tar gzipped (registries and clients
 * such as Jib expect compressed layers), under a Docker schema 2 manifest in the form skopeo
 * writes. A layer's content is checked against its diff ID while it is compressed. Compression
 * goes to temporary files, never to memory; it is deterministic, so the same archive always
 * gives the same digests. The caller deletes the layers.
 */
record DockerArchiveImage(Descriptor manifest, byte[] manifestBytes, Descriptor config, byte[] configBytes,
                          List<CompressedLayer> layers) {
    static final String CONFIG_TYPE = "application/vnd.docker.container.image.v1+json";
    static final String LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    private static final int MAX_CONFIG_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    static DockerArchiveImage make(ArchiveFiles files, Optional<String> name) throws IOException {
        JsonNode entry = select(files, name);
        String configFile = entry.path("Config").asText();
        byte[] config = files.readSmall(configFile, MAX_CONFIG_BYTES);
        Digest configDigest = ManifestParser.sha256(config);
        List<String> diffIds = new ArrayList<>();
        parse(files, config, configFile).path("rootfs").path("diff_ids").forEach(id -> diffIds.add(id.asText()));
        List<String> layerFiles = new ArrayList<>();
        entry.path("Layers").forEach(layer -> layerFiles.add(layer.asText()));
        if (diffIds.size() != layerFiles.size()) {
            throw new ImageArchiveException("manifest.json lists " + layerFiles.size() + " layers but the config has "
                    + diffIds.size() + " diff IDs");
        }
        List<CompressedLayer> layers = new ArrayList<>();
        try {
            StringBuilder descriptors = new StringBuilder();
            for (int i = 0; i < layerFiles.size(); i++) {
                Digest diffId = parseDigest(files, diffIds.get(i));
                if (files.size(layerFiles.get(i)).isEmpty()) {
                    throw new ImageArchiveException(files.describe() + " has no " + layerFiles.get(i));
                }
                CompressedLayer layer = CompressedLayer.of(files, layerFiles.get(i), diffId);
                layers.add(layer);
                if (i > 0) descriptors.append(',');
                descriptors.append(descriptor(LAYER_TYPE, layer.size(), layer.digest()));
            }
            // Go's encoding of containers/image's Schema2 struct: this field order, no spaces.
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.DOCKER_MANIFEST.value() + "\","
                    + "\"config\":" + descriptor(CONFIG_TYPE, config.length, configDigest) + ","
                    + "\"layers\":[" + descriptors + "]}").getBytes(StandardCharsets.UTF_8);
            return new DockerArchiveImage(
                    Descriptor.of(MediaType.DOCKER_MANIFEST, ManifestParser.sha256(manifest), manifest.length), manifest,
                    Descriptor.of(new MediaType(CONFIG_TYPE), configDigest, config.length), config, List.copyOf(layers));
        } catch (IOException | RuntimeException e) {
            for (CompressedLayer layer : layers) layer.delete();
            throw e;
        }
    }

    /** The only entry of manifest.json, or the one with {@code name} among its RepoTags (whole or by tag). */
    private static JsonNode select(ArchiveFiles files, Optional<String> name) throws IOException {
        JsonNode entries = parse(files, files.readSmall("manifest.json", ImageArchiveReader.MAX_MANIFEST_BYTES),
                "manifest.json");
        if (!entries.isArray() || entries.isEmpty()) {
            throw new ImageArchiveException("manifest.json of " + files.describe() + " lists no image");
        }
        if (entries.size() == 1) return entries.get(0);
        for (JsonNode entry : entries) {
            for (JsonNode repoTag : entry.path("RepoTags")) {
                String text = repoTag.asText();
                if (name.isPresent() && (text.equals(name.get()) || text.endsWith(":" + name.get()))) return entry;
            }
        }
        throw new ImageArchiveException("manifest.json of " + files.describe() + " lists " + entries.size()
                + " images and " + name.map(n -> "none is tagged " + n).orElse("none was named"));
    }

    private static String descriptor(String mediaType, long size, Digest digest) {
        return "{\"mediaType\":\"" + mediaType + "\",\"size\":" + size + ",\"digest\":\"" + digest + "\"}";
    }

    private static Digest parseDigest(ArchiveFiles files, String text) throws ImageArchiveException {
        try {
            return Digest.parse(text);
        } catch (RuntimeException e) {
            throw new ImageArchiveException("config of " + files.describe() + " has a bad diff ID: " + text);
        }
    }

    private static JsonNode parse(ArchiveFiles files, byte[] bytes, String file) throws ImageArchiveException {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ImageArchiveException(file + " of " + files.describe() + " is not JSON: " + e.getMessage());
        }
    }
}
