package org.stevedore.model;

import java.util.Map;
import java.util.Optional;
import org.stevedore.error.ErrorCode;

/**
 * A content descriptor (OCI image spec): what a manifest says about one piece of content.
 *
 * @param artifactType the descriptor's {@code artifactType}, if it has one
 * @param annotations  never null; copied
 */
public record Descriptor(MediaType mediaType, Digest digest, long size, Optional<String> artifactType,
                         Map<String, String> annotations) {
    public Descriptor {
        if (mediaType == null || digest == null || artifactType == null) {
            throw ErrorCode.MANIFEST_INVALID.withDetail("descriptor needs mediaType and digest");
        }
        if (size < 0) throw ErrorCode.MANIFEST_INVALID.withDetail("descriptor size is negative");
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static Descriptor of(MediaType mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, Optional.empty(), Map.of());
    }
}
