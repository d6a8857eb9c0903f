package org.stevedore.model;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.stevedore.error.ErrorCode;

/**
 * A media type ({@code type/subtype}, RFC 6838), without parameters. Constants name the manifest
 * kinds this registry understands.
 */
public record MediaType(String value) {
    private static final Pattern GRAMMAR = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    public static final MediaType OCI_MANIFEST = new MediaType("application/vnd.oci.image.manifest.v1+json");
    public static final MediaType OCI_INDEX = new MediaType("application/vnd.oci.image.index.v1+json");
    public static final MediaType DOCKER_MANIFEST =
            new MediaType("application/vnd.docker.distribution.manifest.v2+json");
    public static final MediaType DOCKER_MANIFEST_LIST =
            new MediaType("application/vnd.docker.distribution.manifest.list.v2+json");
    public static final MediaType DOCKER_SCHEMA1 = new MediaType("application/vnd.docker.distribution.manifest.v1+json");
    public static final MediaType DOCKER_SCHEMA1_SIGNED =
            new MediaType("application/vnd.docker.distribution.manifest.v1+prettyjws");
    public static final MediaType OCI_EMPTY = new MediaType("application/vnd.oci.empty.v1+json");
    public static final MediaType OCTET_STREAM = new MediaType("application/octet-stream");

    private static final Set<MediaType> IMAGE_MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<MediaType> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);

    public MediaType {
        if (value == null || !GRAMMAR.matcher(value).matches()) {
            throw ErrorCode.MANIFEST_INVALID.withDetail("invalid media type " + Digest.shorten(String.valueOf(value)));
        }
        value = value.toLowerCase(Locale.ROOT);
    }

    /** Parses a header value such as {@code application/json; charset=utf-8}, dropping parameters. */
    public static MediaType parse(String headerValue) {
        if (headerValue == null) throw ErrorCode.MANIFEST_INVALID.withDetail("missing media type");
        int semicolon = headerValue.indexOf(';');
        String bare = (semicolon < 0 ? headerValue : headerValue.substring(0, semicolon)).trim();
        return new MediaType(bare);
    }

    /** Whether this type names a manifest of layers (OCI or Docker schema2). */
    public boolean isImageManifest() {
        return IMAGE_MANIFESTS.contains(this);
    }

    /** Whether this type names an index of manifests (OCI index or Docker manifest list). */
    public boolean isIndex() {
        return INDEXES.contains(this);
    }

    public boolean isManifest() {
        return isImageManifest() || isIndex();
    }

    @Override
    public String toString() {
        return value;
    }
}
