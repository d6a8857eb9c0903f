package org.stevedore.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stevedore.model.Digest;

/**
 * What garbage collection needs from stored manifest bytes, read leniently: a store may hold
 * manifests no longer accepted on push (Docker schema 1), and collection must still see every
 * blob they reference. Unlike {@link org.stevedore.model.ManifestParser} nothing is validated.
 *
 * @param blobs     config, layers and schema 1 {@code fsLayers}: content linked under {@code _layers}
 * @param manifests child manifests of an index
 * @param subject   the manifest this one refers to, if any
 */
record ManifestReferences(List<Digest> blobs, List<Digest> manifests, Optional<Digest> subject) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything the manifest references, as distribution's {@code References()} returns it. */
    List<Digest> all() {
        List<Digest> all = new ArrayList<>(blobs);
        all.addAll(manifests);
        return all;
    }

    /** @throws IOException when the bytes are not JSON or a digest is malformed */
    static ManifestReferences of(byte[] bytes) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        if (root == null || !root.isObject()) throw new IOException("manifest is not a JSON object");
        List<Digest> blobs = new ArrayList<>();
        addDigest(root.path("config"), "digest", blobs);
        for (JsonNode layer : root.path("layers")) addDigest(layer, "digest", blobs);
        for (JsonNode layer : root.path("fsLayers")) addDigest(layer, "blobSum", blobs);
        List<Digest> manifests = new ArrayList<>();
        for (JsonNode child : root.path("manifests")) addDigest(child, "digest", manifests);
        List<Digest> subject = new ArrayList<>(1);
        addDigest(root.path("subject"), "digest", subject);
        return new ManifestReferences(List.copyOf(blobs), List.copyOf(manifests), subject.stream().findFirst());
    }

    private static void addDigest(JsonNode node, String field, List<Digest> into) throws IOException {
        JsonNode value = node.path(field);
        if (!value.isTextual()) return;
        try {
            into.add(Digest.parse(value.asText()));
        } catch (RuntimeException malformed) {
            throw new IOException("malformed digest " + value.asText());
        }
    }
}
