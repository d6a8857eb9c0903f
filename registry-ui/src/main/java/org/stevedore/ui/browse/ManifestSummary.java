package org.stevedore.ui.browse;

import java.util.List;
import java.util.Map;
import org.stevedore.model.Digest;

/**
 * What a listing shows about one manifest, derived from its content alone (so cacheable by
 * digest on any node).
 *
 * @param mediaType the manifest's media type
 * @param platforms {@code os/arch[/variant]} of the image, or of each image of an index
 * @param blobs     every blob the manifest (or its index's images) uses, with its size
 */
public record ManifestSummary(String mediaType, List<String> platforms, Map<Digest, Long> blobs) {
    public ManifestSummary {
        platforms = List.copyOf(platforms);
        blobs = Map.copyOf(blobs);
    }

    /** The bytes a pull of everything transfers at most: the sum of the distinct blobs. */
    public long size() {
        long total = 0;
        for (long size : blobs.values()) total += size;
        return total;
    }
}
