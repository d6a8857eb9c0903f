package org.stevedore.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Optional;
import java.util.OptionalLong;
import org.stevedore.model.Descriptor;
import org.stevedore.model.Digest;
import org.stevedore.model.Manifest;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.RegistryService;

/**
 * Stores an archive's image through the registry's own services, as a push would: every blob is
 * verified against its digest while it streams in, every manifest is validated, an index's
 * children go in before the index and blobs before the manifest that needs them.
 */
final class StoreWriter {
    private final RegistryService service;
    private final RepositoryName name;

    StoreWriter(RegistryService service, RepositoryName name) {
        this.service = service;
        this.name = name;
    }

    /** Stores the manifest {@code descriptor} of {@code archive} (and all it needs) under {@code reference}. */
    void image(ImageArchiveReader archive, Descriptor descriptor, Reference reference) throws IOException {
        byte[] bytes = archive.manifest(descriptor.digest());
        Manifest manifest = ManifestParser.parse(bytes, Optional.of(descriptor.mediaType()), descriptor.digest());
        for (Descriptor child : manifest.manifests()) {
            if (!archive.has(child.digest())) {
                throw new ImageArchiveException("index " + descriptor.digest() + " lists " + child.digest()
                        + ", which " + archive.describe() + " does not hold (saved for one platform only?)");
            }
            image(archive, child, child.digest());
        }
        for (Descriptor blob : manifest.blobReferences()) blob(archive, blob.digest());
        service.manifests().put(name, reference, bytes, Optional.of(manifest.mediaType()));
    }

    private void blob(ImageArchiveReader archive, Digest digest) throws IOException {
        if (service.blobs().find(name, digest).isPresent()) return;
        OptionalLong size = archive.size(digest);
        if (size.isEmpty()) throw new ImageArchiveException(archive.describe() + " holds no blob " + digest);
        try (InputStream in = archive.openBlob(digest)) {
            service.uploads().uploadWhole(name, digest, Channels.newChannel(in), size);
        }
    }
}
