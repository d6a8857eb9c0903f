package org.stevedore.images;

import org.stevedore.model.Digest;
import org.stevedore.model.MediaType;

/**
 * What {@link ImageArchives#importImage} stored. Published API.
 *
 * @param repository where it was stored
 * @param tag        the tag it was stored under
 * @param digest     the top manifest's digest (an index for a multi-platform image)
 * @param mediaType  the top manifest's media type
 * @param format     what the source was
 */
public record ImportedImage(String repository, String tag, Digest digest, MediaType mediaType, Format format) {

    /** The kinds of source {@link ImageArchives#importImage} reads. */
    public enum Format {
        /** An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/}). */
        OCI_LAYOUT_DIRECTORY,
        /** An OCI image layout in a tar (skopeo's {@code oci-archive:}, and {@code docker save} since Docker 25). */
        OCI_LAYOUT_TAR,
        /** A {@code docker save} archive with only {@code manifest.json} (Docker before 25, podman). */
        DOCKER_ARCHIVE
    }
}
