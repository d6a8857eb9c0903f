package org.stevedore.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.MediaType;

/** An OCI layout's {@code index.json}: which of its entries a name selects. */
final class OciLayoutIndex {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    /** Docker 25 and later name the image in full here, and only its tag in ref.name. */
    private static final String CONTAINERD_NAME = "io.containerd.image.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OciLayoutIndex() {
    }

    /**
     * The only entry, or the one Docker named {@code name} ({@code io.containerd.image.name}, with
     * or without {@code docker.io/library/}), or the one whose ref.name is {@code name} (or, for
     * {@code NAME:TAG}, is its tag).
     */
    static Descriptor select(ArchiveFiles files, Optional<String> name) throws IOException {
        JsonNode index;
        try {
            index = JSON.readTree(files.readSmall("index.json", ImageArchiveReader.MAX_MANIFEST_BYTES));
        } catch (ImageArchiveException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageArchiveException("index.json of " + files.describe() + " is not JSON: " + e.getMessage());
        }
        List<JsonNode> entries = new ArrayList<>();
        index.path("manifests").forEach(entries::add);
        if (entries.isEmpty()) throw new ImageArchiveException("index.json of " + files.describe() + " lists no image");
        if (entries.size() == 1) return descriptor(files, entries.get(0));
        if (name.isPresent()) {
            for (JsonNode entry : entries) {
                String full = entry.path("annotations").path(CONTAINERD_NAME).asText("");
                if (full.equals(name.get()) || full.equals("docker.io/" + name.get())
                        || full.equals("docker.io/library/" + name.get())) {
                    return descriptor(files, entry);
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (JsonNode entry : entries) {
            String refName = entry.path("annotations").path(REF_NAME).asText("");
            names.add(refName);
            if (name.isPresent() && !refName.isEmpty()
                    && (refName.equals(name.get()) || name.get().endsWith(":" + refName))) {
                return descriptor(files, entry);
            }
        }
        throw new ImageArchiveException("index.json of " + files.describe() + " lists " + entries.size()
                + " images; " + name.map(n -> "none is named " + n).orElse("name one") + " (names: " + names + ")");
    }

    /** index.json's entry; one without a media type (older layouts) gets the manifest's own. */
    private static Descriptor descriptor(ArchiveFiles files, JsonNode entry) throws IOException {
        Digest digest;
        try {
            digest = Digest.parse(entry.path("digest").asText());
        } catch (RuntimeException e) {
            throw new ImageArchiveException("index.json of " + files.describe() + " has a bad descriptor: " + entry);
        }
        MediaType type = entry.hasNonNull("mediaType") ? new MediaType(entry.path("mediaType").asText())
                : ManifestParser.detectMediaType(files.readSmall(ImageArchiveReader.blobFile(digest),
                        ImageArchiveReader.MAX_MANIFEST_BYTES));
        return Descriptor.of(type, digest, entry.path("size").asLong());
    }
}
