package org.stevedore.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;
import org.stevedore.registry.Registry;
import org.stevedore.service.RegistryService;

/**
 * Real images in and out of a registry's storage, without HTTP or a daemon. Thread-safe.
 * Published API.
 *
 * <pre>{@code
 * ImportedImage app = ImageArchives.of(registry).importImage(Path.of("app.tar"), "demo/app", "1");
 * ImageArchives.of(registry).exportImage("demo/app", "1", Path.of("out/layout"));
 * }</pre>
 *
 * <p>Imports read an OCI image layout directory, an OCI layout in a tar, or a {@code docker save}
 * archive. Layouts keep every digest exactly; an archive with only Docker's {@code manifest.json}
 * has no registry manifest, so it gets the one skopeo's {@code docker-archive:} transport makes
 * (the same digest {@code skopeo copy docker-archive:...} reports). Blobs stream from the source
 * and are verified against their digests; nothing is held in memory but manifests and configs.
 */
public final class ImageArchives {
    private final RegistryService service;

    private ImageArchives(RegistryService service) {
        this.service = service;
    }

    /** Imports into and exports from the storage behind {@code service}. */
    public static ImageArchives over(RegistryService service) {
        return new ImageArchives(Objects.requireNonNull(service, "service"));
    }

    /** Imports into and exports from a running registry's storage. */
    public static ImageArchives of(Registry registry) {
        return over(registry.service());
    }

    /**
     * Stores the image in {@code source} as {@code repository:tag}. A source holding several
     * images names the one to take by tag (the layout's {@code org.opencontainers.image.ref.name},
     * or a {@code RepoTags} entry of the archive).
     *
     * @throws ImageArchiveException when the source is not a readable image archive
     */
    public ImportedImage importImage(Path source, String repository, String tag) throws IOException {
        RepositoryName name = RepositoryName.of(repository);
        Tag target = Tag.of(tag);
        try (ImageArchiveReader archive = ImageArchiveReader.open(source)) {
            Descriptor top = archive.select(Optional.of(tag));
            new StoreWriter(service, name).image(archive, top, target);
            return new ImportedImage(name.value(), tag, top.digest(), top.mediaType(), archive.format());
        }
    }

    /**
     * Writes {@code repository:reference} (a tag or digest) with every blob it needs, every
     * platform of an index included, into the OCI image layout directory {@code target}, created
     * or added to. A tag becomes the entry's {@code org.opencontainers.image.ref.name}, so
     * {@code skopeo copy oci:TARGET:TAG ...} finds it. Returns the manifest's digest.
     */
    public Digest exportImage(String repository, String reference, Path target) throws IOException {
        RepositoryName name = RepositoryName.of(repository);
        return new OciLayoutExport(service, name, target).run(Reference.parse(reference)).digest();
    }
}
