package org.stevedore.images;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;

/**
 * An image archive opened for reading: an OCI image layout (directory or tar) or a {@code docker
 * save} archive, seen as manifests and blobs by digest, as a registry would serve them. It is what
 * {@link ImageArchives#importImage} stores from and what {@code stevedore copy docker-archive:...}
 * copies from. Published API.
 *
 * <p>A layout's manifests and blobs are its own, digests unchanged. An archive with only Docker's
 * {@code manifest.json} has no registry manifest: {@link #select} makes the one skopeo's
 * {@code docker-archive:} transport pushes (config unchanged, layers gzipped into temporary files,
 * each checked against its diff ID), which {@link #close()} deletes.
 *
 * <p>Blobs may be read from several threads at once; {@link #select} is called from one thread
 * before any reading. The caller closes the reader and every stream it opens.
 */
public final class ImageArchiveReader implements Closeable {
    /** Manifests and configs are read whole; the reference registry's manifest limit bounds them. */
    static final int MAX_MANIFEST_BYTES = ManifestParser.DEFAULT_MAX_BYTES;

    private final ArchiveFiles files;
    private final ImportedImage.Format format;
    private final Map<Digest, byte[]> madeBlobs = new HashMap<>();
    private final Map<Digest, CompressedLayer> madeLayers = new HashMap<>();

    private ImageArchiveReader(ArchiveFiles files, ImportedImage.Format format) {
        this.files = files;
        this.format = format;
    }

    /**
     * Opens {@code source}: a directory or an uncompressed tar holding an OCI layout
     * ({@code index.json}) or a {@code docker save} archive ({@code manifest.json}).
     *
     * @throws ImageArchiveException when it is neither
     */
    public static ImageArchiveReader open(Path source) throws IOException {
        ArchiveFiles files = ArchiveFiles.open(source);
        try {
            if (files.size("index.json").isPresent()) {
                return new ImageArchiveReader(files, Files.isDirectory(source) ? ImportedImage.Format.OCI_LAYOUT_DIRECTORY
                        : ImportedImage.Format.OCI_LAYOUT_TAR);
            }
            if (files.size("manifest.json").isPresent()) {
                return new ImageArchiveReader(files, ImportedImage.Format.DOCKER_ARCHIVE);
            }
            throw new ImageArchiveException(source + " has neither index.json (an OCI layout) nor manifest.json"
                    + " (a docker save archive)");
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** What kind of archive this is. */
    public ImportedImage.Format format() {
        return format;
    }

    /**
     * The top manifest of the archive's only image, or of the one {@code name} names: a layout's
     * {@code org.opencontainers.image.ref.name}, or an archive's {@code RepoTags} entry, given whole
     * ({@code app:1}) or by tag ({@code 1}). An archive with one image gives it whatever the name.
     *
     * @throws ImageArchiveException when no image (or, unnamed, more than one) fits
     */
    public Descriptor select(Optional<String> name) throws IOException {
        if (format != ImportedImage.Format.DOCKER_ARCHIVE) return OciLayoutIndex.select(files, name);
        DockerArchiveImage image = DockerArchiveImage.make(files, name);
        madeBlobs.put(image.config().digest(), image.configBytes());
        for (CompressedLayer layer : image.layers()) {
            CompressedLayer earlier = madeLayers.putIfAbsent(layer.digest(), layer);
            if (earlier != null) layer.delete();
        }
        madeBlobs.put(image.manifest().digest(), image.manifestBytes());
        return image.manifest();
    }

    /** A manifest's bytes, checked against {@code digest}. */
    public byte[] manifest(Digest digest) throws IOException {
        byte[] made = madeBlobs.get(digest);
        if (made != null) return made;
        String file = blobFile(digest);
        if (files.size(file).isEmpty()) throw new ImageArchiveException(files.describe() + " holds no manifest " + digest);
        byte[] bytes = files.readSmall(file, MAX_MANIFEST_BYTES);
        if (!ManifestParser.sha256(bytes).equals(digest)) {
            throw new ImageArchiveException("manifest " + digest + " in " + files.describe() + " is damaged");
        }
        return bytes;
    }

    /** Whether the archive holds the blob (or manifest) {@code digest}. */
    public boolean has(Digest digest) throws IOException {
        return size(digest).isPresent();
    }

    /** The blob's size, or empty when the archive does not hold it. */
    public OptionalLong size(Digest digest) throws IOException {
        byte[] made = madeBlobs.get(digest);
        if (made != null) return OptionalLong.of(made.length);
        CompressedLayer layer = madeLayers.get(digest);
        if (layer != null) return OptionalLong.of(layer.size());
        return files.size(blobFile(digest));
    }

    /**
     * Opens the blob {@code digest} for streaming; the caller closes it and checks the digest as
     * it reads (a layout's blobs are served as they are stored).
     */
    public InputStream openBlob(Digest digest) throws IOException {
        byte[] made = madeBlobs.get(digest);
        if (made != null) return new ByteArrayInputStream(made);
        CompressedLayer layer = madeLayers.get(digest);
        if (layer != null) return Files.newInputStream(layer.file());
        String file = blobFile(digest);
        if (files.size(file).isEmpty()) throw new ImageArchiveException(files.describe() + " holds no blob " + digest);
        return files.open(file);
    }

    /** Where the archive is, for messages. */
    public String describe() {
        return files.describe();
    }

    static String blobFile(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.encoded();
    }

    /** Closes the archive and deletes the layers compressed for it. */
    @Override
    public void close() throws IOException {
        try {
            for (CompressedLayer layer : madeLayers.values()) layer.delete();
            madeLayers.clear();
        } finally {
            files.close();
        }
    }
}
