package org.stevedore.images;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Optional;
import java.util.OptionalLong;
import org.stevedore.model.Digest;
import org.stevedore.model.MediaType;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.RegistryService;

/**
 * Stores blobs and manifests through the registry's own services, as a push would: every blob is
 * verified against its digest while it streams in, every manifest is validated.
 */
final class StoreWriter {
    private final RegistryService service;
    private final RepositoryName name;

    StoreWriter(RegistryService service, RepositoryName name) {
        this.service = service;
        this.name = name;
    }

    int maxManifestBytes() {
        return service.manifests().maxManifestBytes();
    }

    /** Streams {@code file} of {@code files} in as blob {@code digest}, unless the repository has it. */
    void blob(Digest digest, ArchiveFiles files, String file) throws IOException {
        if (service.blobs().find(name, digest).isPresent()) return;
        OptionalLong size = files.size(file);
        if (size.isEmpty()) throw new ImageArchiveException(files.describe() + " has no " + file + " (blob " + digest + ")");
        try (InputStream in = files.open(file)) {
            service.uploads().uploadWhole(name, digest, Channels.newChannel(in), size);
        }
    }

    void blob(Digest digest, java.nio.file.Path file) throws IOException {
        if (service.blobs().find(name, digest).isPresent()) return;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            service.uploads().uploadWhole(name, digest, channel, OptionalLong.of(channel.size()));
        }
    }

    void blob(Digest digest, byte[] bytes) throws IOException {
        if (service.blobs().find(name, digest).isPresent()) return;
        service.uploads().uploadWhole(name, digest, Channels.newChannel(new ByteArrayInputStream(bytes)),
                OptionalLong.of(bytes.length));
    }

    Digest manifest(Reference reference, byte[] bytes, MediaType mediaType) throws IOException {
        return service.manifests().put(name, reference, bytes, Optional.of(mediaType)).digest();
    }
}
