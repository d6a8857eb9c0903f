package org.stevedore.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;

/**
 * An OCI image layout directory as a copy's source or destination. Blobs are written beside their
 * place, checked against their digest, then moved in; {@code index.json} last.
 */
final class OciLayoutEndpoint implements ImageSource, ImageDestination {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageLocation.OciLayout location;

    OciLayoutEndpoint(ImageLocation.OciLayout location) {
        this.location = location;
    }

    @Override
    public Fetched manifest(String reference) throws IOException {
        Path indexFile = location.directory().resolve("index.json");
        if (!Files.isRegularFile(indexFile)) throw new CopyException(location + " has no index.json");
        JsonNode chosen = null;
        JsonNode manifests = JSON.readTree(indexFile.toFile()).path("manifests");
        for (JsonNode entry : manifests) {
            String name = entry.path("annotations").path(REF_NAME).asText("");
            if (name.equals(reference) || entry.path("digest").asText().equals(reference)) chosen = entry;
        }
        if (chosen == null && reference.isEmpty() && manifests.size() == 1) chosen = manifests.get(0);
        if (chosen == null) throw new CopyException(location + " holds no image named " + reference);
        Digest digest = Digest.parse(chosen.path("digest").asText());
        byte[] bytes = Files.readAllBytes(blobFile(digest));
        if (!ManifestParser.sha256(bytes).equals(digest)) throw new CopyException(location + ": " + digest + " is damaged");
        String type = chosen.path("mediaType").asText(ManifestParser.detectMediaType(bytes).value());
        return new Fetched(bytes, type, digest);
    }

    @Override
    public InputStream blob(Digest digest) throws IOException {
        return Files.newInputStream(blobFile(digest));
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return Files.isRegularFile(blobFile(digest));
    }

    @Override
    public void putBlob(Digest digest, long size, InputStream content) throws IOException {
        Path file = blobFile(digest);
        Files.createDirectories(file.getParent());
        Path partial = Files.createTempFile(file.getParent(), ".partial-", "");
        try {
            MessageDigest sha256 = sha256();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha256)) {
                content.transferTo(out);
            }
            if (!digest.encoded().equals(HexFormat.of().formatHex(sha256.digest()))) {
                throw new CopyException("blob " + digest + " arrived with other content: digest mismatch");
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public void putManifest(String reference, Fetched manifest) throws IOException {
        Path file = blobFile(manifest.digest());
        Files.createDirectories(file.getParent());
        Files.write(file, manifest.bytes());
        if (reference.contains(":")) return; // an index's child: stored, not named
        Path layout = location.directory().resolve("oci-layout");
        if (!Files.exists(layout)) Files.writeString(layout, "{\"imageLayoutVersion\":\"1.0.0\"}");
        Path indexFile = location.directory().resolve("index.json");
        ObjectNode index = Files.exists(indexFile) ? (ObjectNode) JSON.readTree(indexFile.toFile()) : JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ArrayNode entries = index.has("manifests") ? (ArrayNode) index.get("manifests") : index.putArray("manifests");
        for (Iterator<JsonNode> it = entries.iterator(); it.hasNext(); ) {
            if (reference.equals(it.next().path("annotations").path(REF_NAME).asText(null))) it.remove();
        }
        ObjectNode entry = entries.addObject();
        entry.put("mediaType", manifest.mediaType());
        entry.put("digest", manifest.digest().toString());
        entry.put("size", manifest.bytes().length);
        entry.putObject("annotations").put(REF_NAME, reference);
        Path partial = Files.createTempFile(location.directory(), ".index-", ".json");
        Files.write(partial, JSON.writeValueAsBytes(index));
        Files.move(partial, indexFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path blobFile(Digest digest) {
        return location.directory().resolve("blobs").resolve(digest.algorithm()).resolve(digest.encoded());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Nothing to release: each request and file is closed where it is used. */
    @Override
    public void close() {
    }
}
