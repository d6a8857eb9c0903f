package org.stevedore.copy;

import java.io.IOException;
import java.io.InputStream;
import org.stevedore.images.ImageArchiveException;
import org.stevedore.images.ImageArchiveReader;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.ManifestParser;

/**
 * A {@code docker save} archive (or an OCI layout tar) as a copy's source, read by registry-images'
 * {@link ImageArchiveReader} exactly as {@code stevedore import} reads it: an archive with only
 * {@code manifest.json} is copied with the manifest skopeo would push, its layers gzipped into
 * temporary files that {@link #close()} deletes.
 */
final class DockerArchiveSource implements ImageSource {
    private final ImageLocation.DockerArchive location;
    private final ImageArchiveReader archive;
    private final Descriptor top;

    private DockerArchiveSource(ImageLocation.DockerArchive location, ImageArchiveReader archive, Descriptor top) {
        this.location = location;
        this.archive = archive;
        this.top = top;
    }

    static DockerArchiveSource open(ImageLocation.DockerArchive location) throws IOException {
        ImageArchiveReader archive = null;
        try {
            archive = ImageArchiveReader.open(location.file());
            return new DockerArchiveSource(location, archive, archive.select(location.name()));
        } catch (ImageArchiveException e) {
            if (archive != null) archive.close();
            throw new CopyException(location + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (archive != null) archive.close();
            throw e;
        }
    }

    /** The selected image for its name (or none), any manifest of the archive by digest. */
    @Override
    public Fetched manifest(String reference) throws IOException {
        if (!reference.startsWith("sha256:")) {
            return new Fetched(archive.manifest(top.digest()), top.mediaType().value(), top.digest());
        }
        Digest digest = Digest.parse(reference);
        try {
            byte[] bytes = archive.manifest(digest);
            return new Fetched(bytes, ManifestParser.detectMediaType(bytes).value(), digest);
        } catch (ImageArchiveException e) {
            throw new CopyException(location + ": " + e.getMessage());
        }
    }

    @Override
    public InputStream blob(Digest digest) throws IOException {
        try {
            return archive.openBlob(digest);
        } catch (ImageArchiveException e) {
            throw new CopyException(location + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        archive.close();
    }
}
