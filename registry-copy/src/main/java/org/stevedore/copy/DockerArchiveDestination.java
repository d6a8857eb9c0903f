package org.stevedore.copy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.stevedore.images.DockerArchiveWriter;
import org.stevedore.images.ImageArchiveException;
import org.stevedore.model.Digest;

/**
 * A {@code docker save} archive as a copy's destination, for {@code docker load}: blobs gather,
 * checked against their digests, in a temporary OCI layout beside the file; the manifest writes
 * the archive with registry-images' {@link DockerArchiveWriter}. One image per archive, so an
 * index needs a platform chosen and referrers have no place.
 */
final class DockerArchiveDestination implements ImageDestination {
    private final ImageLocation.DockerArchive location;
    private final List<String> repoTags;
    private final Path staging;
    private final OciLayoutEndpoint blobs;

    /** Tagged with the location's {@code NAME:TAG}; without one, {@code docker load} keeps the image untagged. */
    DockerArchiveDestination(ImageLocation.DockerArchive location) throws IOException {
        this.location = location;
        this.repoTags = location.name().map(List::of).orElse(List.of());
        Path directory = location.file().toAbsolutePath().getParent();
        Files.createDirectories(directory);
        this.staging = Files.createTempDirectory(directory, "." + location.file().getFileName() + ".blobs-");
        this.blobs = new OciLayoutEndpoint(new ImageLocation.OciLayout(staging, Optional.empty()));
    }

    @Override
    public boolean holdsIndexes() {
        return false;
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return blobs.hasBlob(digest);
    }

    @Override
    public void putBlob(Digest digest, long size, InputStream content) throws IOException {
        blobs.putBlob(digest, size, content);
    }

    @Override
    public void putManifest(String reference, Fetched manifest) throws IOException {
        try {
            DockerArchiveWriter.write(location.file(), manifest.bytes(), blobs::blob, repoTags);
        } catch (ImageArchiveException e) {
            throw new CopyException(location + ": " + e.getMessage());
        }
    }

    /** Deletes the gathered blobs; the archive, if written, stays. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(staging)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(file);
        }
    }
}
