package org.stevedore.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.MediaType;
import org.stevedore.model.Reference;
import org.stevedore.model.Tag;

/**
 * Imports the image an OCI layout's {@code index.json} names: its manifests (an index's children
 * first) and blobs exactly as they are, so every digest is preserved.
 */
final class OciLayoutImport {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArchiveFiles files;
    private final StoreWriter store;

    OciLayoutImport(ArchiveFiles files, StoreWriter store) {
        this.files = files;
        this.store = store;
    }

    /** Stores the one image of the layout, or the one whose ref.name is {@code tag}, under {@code tag}. */
    Descriptor run(Tag tag) throws IOException {
        Descriptor top = select(tag);
        store(top, tag);
        return top;
    }

    private Descriptor select(Tag tag) throws IOException {
        JsonNode index = parse(files.readSmall("index.json", store.maxManifestBytes()), "index.json");
        List<JsonNode> entries = new ArrayList<>();
        index.path("manifests").forEach(entries::add);
        if (entries.isEmpty()) throw new ImageArchiveException("index.json of " + files.describe() + " lists no image");
        JsonNode chosen = entries.size() == 1 ? entries.get(0) : null;
        if (chosen == null) {
            List<String> names = new ArrayList<>();
            for (JsonNode entry : entries) {
                String refName = entry.path("annotations").path(REF_NAME).asText("");
                names.add(refName);
                if (refName.equals(tag.value())) chosen = entry;
            }
            if (chosen == null) {
                throw new ImageArchiveException("index.json of " + files.describe() + " lists " + entries.size()
                        + " images; none is named " + tag.value() + " (names: " + names + ")");
            }
        }
        return descriptor(chosen);
    }

    private void store(Descriptor descriptor, Reference reference) throws IOException {
        byte[] bytes = files.readSmall(blobFile(descriptor.digest()), store.maxManifestBytes());
        Manifest manifest = ManifestParser.parse(bytes, Optional.of(descriptor.mediaType()), descriptor.digest());
        if (manifest.isIndex()) {
            for (Descriptor child : manifest.manifests()) {
                if (files.size(blobFile(child.digest())).isEmpty()) {
                    throw new ImageArchiveException("index " + descriptor.digest() + " lists " + child.digest()
                            + ", which " + files.describe() + " does not hold (saved for one platform only?)");
                }
                store(child, child.digest());
            }
        }
        for (Descriptor blob : manifest.blobReferences()) store.blob(blob.digest(), files, blobFile(blob.digest()));
        store.manifest(reference, bytes, manifest.mediaType());
    }

    static String blobFile(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.encoded();
    }

    /** index.json's entry; one without a media type (older layouts) gets the manifest's own. */
    private Descriptor descriptor(JsonNode entry) throws IOException {
        Digest digest;
        try {
            digest = Digest.parse(entry.path("digest").asText());
        } catch (RuntimeException e) {
            throw new ImageArchiveException("index.json of " + files.describe() + " has a bad descriptor: " + entry);
        }
        MediaType type = entry.hasNonNull("mediaType") ? new MediaType(entry.path("mediaType").asText())
                : ManifestParser.detectMediaType(files.readSmall(blobFile(digest), store.maxManifestBytes()));
        return Descriptor.of(type, digest, entry.path("size").asLong());
    }

    private JsonNode parse(byte[] bytes, String file) throws ImageArchiveException {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ImageArchiveException(file + " of " + files.describe() + " is not JSON: " + e.getMessage());
        }
    }
}
