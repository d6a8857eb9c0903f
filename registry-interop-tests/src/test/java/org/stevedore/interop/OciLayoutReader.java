package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back an OCI image layout (e.g. one written by {@code skopeo copy … oci:<dir>:<tag>}),
 * asserting on the way that every referenced blob exists and its bytes hash to its name.
 */
final class OciLayoutReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciLayoutReader() {
    }

    /** The image tagged {@code tag} in {@code directory}; fails the test on any inconsistency. */
    static OciImage read(Path directory, String tag) throws IOException {
        return readManifest(directory, digestOf(directory, tag));
    }

    /** The image index tagged {@code tag} and every image it lists; fails the test on any inconsistency. */
    static OciIndex readIndex(Path directory, String tag) throws IOException {
        String digest = digestOf(directory, tag);
        byte[] index = verifiedBlob(directory, digest);
        List<OciImage> images = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(index).path("manifests")) {
            images.add(readManifest(directory, entry.path("digest").asText()));
        }
        return new OciIndex(digest, index, images);
    }

    private static String digestOf(Path directory, String tag) throws IOException {
        assertTrue(Files.isRegularFile(directory.resolve("oci-layout")), "no oci-layout file in " + directory);
        JsonNode index = JSON.readTree(directory.resolve("index.json").toFile());
        for (JsonNode entry : index.path("manifests")) {
            if (tag.equals(entry.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                return entry.path("digest").asText();
            }
        }
        return fail("no manifest tagged " + tag + " in " + directory.resolve("index.json") + ": " + index);
    }

    private static OciImage readManifest(Path directory, String manifestDigest) throws IOException {
        byte[] manifest = verifiedBlob(directory, manifestDigest);
        JsonNode parsed = JSON.readTree(manifest);
        String configDigest = parsed.path("config").path("digest").asText();
        verifiedBlob(directory, configDigest);
        List<String> layers = new ArrayList<>();
        for (JsonNode layer : parsed.path("layers")) {
            String digest = layer.path("digest").asText();
            byte[] bytes = verifiedBlob(directory, digest);
            assertEquals(layer.path("size").asLong(), bytes.length, "size of layer " + digest);
            layers.add(digest);
        }
        return new OciImage(manifestDigest, manifest, configDigest, layers);
    }

    private static byte[] verifiedBlob(Path directory, String digest) throws IOException {
        Path file = directory.resolve("blobs/sha256").resolve(Digests.hex(digest));
        assertTrue(Files.isRegularFile(file), "blob " + digest + " missing from " + directory);
        assertEquals(digest, Digests.sha256(file), "content of " + file);
        return Files.readAllBytes(file);
    }
}
