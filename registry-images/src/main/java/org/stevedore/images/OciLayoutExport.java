package org.stevedore.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Optional;
import org.stevedore.error.ErrorCode;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.service.BlobService;
import org.stevedore.service.RegistryService;
import org.stevedore.service.StoredManifest;

/**
 * Writes a stored image (and, for an index, every platform's image) into an OCI image layout
 * directory, adding to one that exists: a tag replaces the entry of that name in
 * {@code index.json}. Files appear whole (written beside, then moved), so a crash leaves no
 * half-written blob under its digest's name.
 */
final class OciLayoutExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryService service;
    private final RepositoryName name;
    private final Path target;

    OciLayoutExport(RegistryService service, RepositoryName name, Path target) {
        this.service = service;
        this.name = name;
        this.target = target;
    }

    StoredManifest run(Reference reference) throws IOException {
        StoredManifest top = service.manifests().get(name, reference);
        Files.createDirectories(target.resolve("blobs"));
        Path layoutFile = target.resolve("oci-layout");
        if (!Files.exists(layoutFile)) writeWhole(layoutFile, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
        writeTree(top);
        writeIndex(top, reference instanceof Tag tag ? Optional.of(tag.value()) : Optional.empty());
        return top;
    }

    private void writeTree(StoredManifest stored) throws IOException {
        Manifest manifest = ManifestParser.parse(stored.bytes(), Optional.of(stored.mediaType()), stored.digest());
        for (Descriptor child : manifest.manifests()) writeTree(service.manifests().get(name, child.digest()));
        for (Descriptor blob : manifest.blobReferences()) writeBlob(blob.digest());
        Path file = blobPath(stored.digest());
        if (!Files.exists(file)) writeWhole(file, stored.bytes());
    }

    private void writeBlob(Digest digest) throws IOException {
        Path file = blobPath(digest);
        Optional<BlobService.Opened> opened = service.blobs().openLinked(name, digest);
        if (opened.isEmpty()) throw ErrorCode.BLOB_UNKNOWN.withDetail(name + " has no blob " + digest);
        try (BlobService.Opened blob = opened.get(); InputStream in = blob.content().asStream()) {
            if (Files.exists(file) && Files.size(file) == blob.blob().size()) return;
            Path partial = Files.createTempFile(file.getParent(), ".partial-", "");
            try {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
        }
    }

    private void writeIndex(StoredManifest top, Optional<String> tag) throws IOException {
        Path file = target.resolve("index.json");
        ObjectNode index = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ArrayNode manifests = index.has("manifests") ? (ArrayNode) index.get("manifests") : index.putArray("manifests");
        for (Iterator<com.fasterxml.jackson.databind.JsonNode> it = manifests.iterator(); it.hasNext(); ) {
            com.fasterxml.jackson.databind.JsonNode entry = it.next();
            String refName = entry.path("annotations").path(OciLayoutIndex.REF_NAME).asText(null);
            boolean sameName = tag.isPresent() && tag.get().equals(refName);
            boolean sameUntagged = tag.isEmpty() && refName == null
                    && entry.path("digest").asText().equals(top.digest().toString());
            if (sameName || sameUntagged) it.remove();
        }
        ObjectNode entry = manifests.addObject();
        entry.put("mediaType", top.mediaType().value());
        entry.put("digest", top.digest().toString());
        entry.put("size", top.bytes().length);
        tag.ifPresent(value -> entry.putObject("annotations").put(OciLayoutIndex.REF_NAME, value));
        writeWhole(file, JSON.writeValueAsBytes(index));
    }

    private Path blobPath(Digest digest) throws IOException {
        return Files.createDirectories(target.resolve("blobs").resolve(digest.algorithm())).resolve(digest.encoded());
    }

    private static void writeWhole(Path file, byte[] bytes) throws IOException {
        Path partial = Files.createTempFile(file.getParent(), ".partial-", "");
        try {
            Files.write(partial, bytes);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
