package org.stevedore.images;

import java.io.IOException;
import java.nio.file.Path;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.registry.fixtures.ImageArchiveProvider;
import org.stevedore.service.RegistryService;

/**
 * {@code Fixtures#importImage} and {@code Fixtures#exportImage} through {@link ImageArchives}:
 * registered in {@code META-INF/services}, so test authors find the fixtures where the others are.
 */
public final class FixturesArchiveProvider implements ImageArchiveProvider {
    @Override
    public Descriptor importImage(RegistryService service, Path source, String repository, String tag) throws IOException {
        ImportedImage imported = ImageArchives.over(service).importImage(source, repository, tag);
        long size = service.manifests().get(org.stevedore.model.RepositoryName.of(repository), imported.digest())
                .bytes().length;
        return Descriptor.of(imported.mediaType(), imported.digest(), size);
    }

    @Override
    public Digest exportImage(RegistryService service, String repository, String reference, Path target)
            throws IOException {
        return ImageArchives.over(service).exportImage(repository, reference, target);
    }
}
