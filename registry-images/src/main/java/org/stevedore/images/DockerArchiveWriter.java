package org.stevedore.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;

/**
 * Writes one image as a {@code docker save} archive that {@code docker load} reads: the config as
 * {@code <hex>.json}, each layer uncompressed as {@code <diff ID hex>/layer.tar} (Docker checks a
 * loaded layer against its diff ID, and Docker 20.10 reads no zstd), and {@code manifest.json}
 * naming them and the image's tags. Layers are decompressed through a temporary file beside the
 * target (a tar entry needs its size first), one at a time, each checked against its diff ID; the
 * archive is written beside the target and moved into place whole. Published API.
 *
 * <pre>{@code
 * DockerArchiveWriter.write(Path.of("app.tar"), manifestBytes, digest -> openBlob(digest), List.of("demo/app:1"));
 * }</pre>
 */
public final class DockerArchiveWriter {
    private static final int MAX_CONFIG_BYTES = 16 << 20;
    private static final int BUFFER = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The image's blobs by digest; the writer closes each stream it opens. */
    @FunctionalInterface
    public interface Blobs {
        InputStream open(Digest digest) throws IOException;
    }

    private DockerArchiveWriter() {
    }

    /**
     * Writes the image whose manifest is {@code manifestBytes} (an image manifest, OCI or Docker
     * schema 2, not an index) to {@code target}, replacing it, with {@code repoTags} (such as
     * {@code demo/app:1}; empty: {@code docker load} keeps the image untagged).
     *
     * @throws ImageArchiveException when the manifest is an index, a layer is compressed in a way
     *                               Docker cannot load, or a layer does not match its diff ID
     */
    public static void write(Path target, byte[] manifestBytes, Blobs blobs, List<String> repoTags) throws IOException {
        Manifest manifest = ManifestParser.parse(manifestBytes, Optional.empty());
        if (manifest.isIndex() || manifest.config().isEmpty()) {
            throw new ImageArchiveException("a docker save archive holds one platform's image, not "
                    + manifest.mediaType() + " (choose a platform)");
        }
        Digest configDigest = manifest.config().get().digest();
        byte[] config;
        try (InputStream in = blobs.open(configDigest)) {
            config = in.readNBytes(MAX_CONFIG_BYTES + 1);
        }
        if (config.length > MAX_CONFIG_BYTES || !ManifestParser.sha256(config).equals(configDigest)) {
            throw new ImageArchiveException("the config " + configDigest + " arrived damaged or too large");
        }
        JsonNode diffIds = JSON.readTree(config).path("rootfs").path("diff_ids");
        if (diffIds.size() != manifest.layers().size()) {
            throw new ImageArchiveException("the manifest lists " + manifest.layers().size() + " layers but the config has "
                    + diffIds.size() + " diff IDs");
        }
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, "." + target.getFileName() + ".", ".partial");
        try {
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(partial), BUFFER))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                String configName = configDigest.encoded() + ".json";
                entry(tar, configName, config);
                ObjectNode entry = JSON.createObjectNode();
                entry.put("Config", configName);
                ArrayNode tags = entry.putArray("RepoTags");
                repoTags.forEach(tags::add);
                ArrayNode layerNames = entry.putArray("Layers");
                Set<Digest> written = new HashSet<>();
                for (int i = 0; i < manifest.layers().size(); i++) {
                    Digest diffId = Digest.parse(diffIds.get(i).asText());
                    String name = diffId.encoded() + "/layer.tar";
                    layerNames.add(name);
                    if (written.add(diffId)) layer(tar, name, manifest.layers().get(i), diffId, blobs, directory);
                }
                entry(tar, "manifest.json", JSON.writeValueAsBytes(JSON.createArrayNode().add(entry)));
                tar.finish();
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void layer(TarArchiveOutputStream tar, String name, Descriptor layer, Digest diffId, Blobs blobs,
                              Path directory) throws IOException {
        Path uncompressed = Files.createTempFile(directory, ".layer-", ".tar");
        try {
            MessageDigest content = Digests.sha256();
            try (InputStream blob = new BufferedInputStream(blobs.open(layer.digest()), BUFFER);
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(uncompressed), content)) {
                decompressed(blob, layer).transferTo(out);
            }
            if (!diffId.equals(Digests.of(content))) {
                throw new ImageArchiveException("layer " + layer.digest() + " does not match its diff ID " + diffId);
            }
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(Files.size(uncompressed));
            tar.putArchiveEntry(entry);
            Files.copy(uncompressed, tar);
            tar.closeArchiveEntry();
        } finally {
            Files.deleteIfExists(uncompressed);
        }
    }

    /** The layer's tar: gunzipped when gzip (by its first bytes, whatever its media type says); zstd refused. */
    private static InputStream decompressed(InputStream blob, Descriptor layer) throws IOException {
        blob.mark(4);
        byte[] magic = blob.readNBytes(4);
        blob.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(blob, BUFFER);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            throw new ImageArchiveException("layer " + layer.digest() + " is zstd-compressed; docker load reads gzip"
                    + " and plain tar layers only");
        }
        return blob;
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
