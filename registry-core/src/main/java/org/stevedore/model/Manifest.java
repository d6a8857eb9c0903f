package org.stevedore.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed manifest: its exact bytes, their digest, its media type and the descriptors it refers
 * to. An image manifest has a config and layers; an index has child manifests. The bytes are kept
 * exactly as pushed (the digest is over them) and must not be modified by callers.
 */
public record Manifest(Digest digest, MediaType mediaType, byte[] bytes, Optional<Descriptor> config,
                       List<Descriptor> layers, List<Descriptor> manifests, Optional<Descriptor> subject,
                       Optional<String> artifactType, Map<String, String> annotations) {

    public Manifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }

    public boolean isIndex() {
        return mediaType.isIndex();
    }

    /** Blobs this manifest needs in its repository: the config and the layers. */
    public List<Descriptor> blobReferences() {
        List<Descriptor> blobs = new ArrayList<>(layers.size() + 1);
        config.ifPresent(blobs::add);
        blobs.addAll(layers);
        return blobs;
    }

    /**
     * The artifact type a referrers listing shows for this manifest: its {@code artifactType},
     * else its config's media type (OCI image spec, "Guidelines for Artifact Usage").
     */
    public Optional<String> effectiveArtifactType() {
        if (artifactType.isPresent()) return artifactType;
        return config.map(c -> c.mediaType().value());
    }
}
