package org.stevedore.interop;

import java.util.List;

/**
 * An image index (multi-platform image) and the images it lists, as written to an OCI layout.
 *
 * @param digest {@code sha256:…} of {@code index}
 * @param index the exact index bytes
 * @param images the images the index lists, in its order
 */
record OciIndex(String digest, byte[] index, List<OciImage> images) {
    OciIndex {
        images = List.copyOf(images);
    }
}
