package org.stevedore.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.MediaType;
import org.stevedore.model.Tag;

/**
 * Imports a {@code docker save} archive that has only {@code manifest.json} (no registry
 * manifest) as {@code skopeo copy docker-archive:... docker://...} stores it: the config as it is
 * (so the image ID stays), each uncompressed layer tar gzipped on the way (registries and
 * clients such as Jib expect compressed layers), under a Docker schema 2 manifest in the form
 * skopeo writes. A layer's content is checked against its diff ID while it is compressed.
 * Compression goes to a temporary file, never to memory; it is deterministic, so importing the
 * same archive twice gives the same digests.
 */
final class DockerArchiveImport {
    static final String CONFIG_TYPE = "application/vnd.docker.container.image.v1+json";
    static final String LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    private static final int MAX_CONFIG_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArchiveFiles files;
    private final StoreWriter store;

    DockerArchiveImport(ArchiveFiles files, StoreWriter store) {
        this.files = files;
        this.store = store;
    }

    /** Stores the archive's one image (or the one tagged {@code tag}) under {@code tag}; its manifest's digest. */
    Digest run(Tag tag) throws IOException {
        JsonNode entry = select(tag);
        String configFile = entry.path("Config").asText();
        byte[] config = files.readSmall(configFile, MAX_CONFIG_BYTES);
        Digest configDigest = ManifestParser.sha256(config);
        List<String> diffIds = new ArrayList<>();
        parse(config, configFile).path("rootfs").path("diff_ids").forEach(id -> diffIds.add(id.asText()));
        List<String> layerFiles = new ArrayList<>();
        entry.path("Layers").forEach(layer -> layerFiles.add(layer.asText()));
        if (diffIds.size() != layerFiles.size()) {
            throw new ImageArchiveException("manifest.json lists " + layerFiles.size() + " layers but the config has "
                    + diffIds.size() + " diff IDs");
        }
        store.blob(configDigest, config);
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < layerFiles.size(); i++) {
            Digest diffId = parseDigest(diffIds.get(i));
            if (files.size(layerFiles.get(i)).isEmpty()) {
                throw new ImageArchiveException(files.describe() + " has no " + layerFiles.get(i));
            }
            CompressedLayer layer = CompressedLayer.of(files, layerFiles.get(i), diffId);
            try {
                store.blob(layer.digest(), layer.file());
            } finally {
                layer.delete();
            }
            if (i > 0) layers.append(',');
            layers.append(descriptor(LAYER_TYPE, layer.size(), layer.digest()));
        }
        // Go's encoding of containers/image's Schema2 struct: this field order, no spaces.
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.DOCKER_MANIFEST.value() + "\","
                + "\"config\":" + descriptor(CONFIG_TYPE, config.length, configDigest) + ","
                + "\"layers\":[" + layers + "]}";
        return store.manifest(tag, manifest.getBytes(StandardCharsets.UTF_8), MediaType.DOCKER_MANIFEST);
    }

    private JsonNode select(Tag tag) throws IOException {
        JsonNode entries = parse(files.readSmall("manifest.json", store.maxManifestBytes()), "manifest.json");
        if (!entries.isArray() || entries.isEmpty()) {
            throw new ImageArchiveException("manifest.json of " + files.describe() + " lists no image");
        }
        if (entries.size() == 1) return entries.get(0);
        for (JsonNode entry : entries) {
            for (JsonNode repoTag : entry.path("RepoTags")) {
                if (repoTag.asText().endsWith(":" + tag.value())) return entry;
            }
        }
        throw new ImageArchiveException("manifest.json of " + files.describe() + " lists " + entries.size()
                + " images and none is tagged " + tag.value());
    }

    private static String descriptor(String mediaType, long size, Digest digest) {
        return "{\"mediaType\":\"" + mediaType + "\",\"size\":" + size + ",\"digest\":\"" + digest + "\"}";
    }

    private Digest parseDigest(String text) throws ImageArchiveException {
        try {
            return Digest.parse(text);
        } catch (RuntimeException e) {
            throw new ImageArchiveException("config of " + files.describe() + " has a bad diff ID: " + text);
        }
    }

    private JsonNode parse(byte[] bytes, String file) throws ImageArchiveException {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ImageArchiveException(file + " of " + files.describe() + " is not JSON: " + e.getMessage());
        }
    }
}
