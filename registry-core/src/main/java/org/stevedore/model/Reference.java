package org.stevedore.model;

/** What a manifest URL names: a {@link Tag} or a {@link Digest}. */
public sealed interface Reference permits Tag, Digest {

    /**
     * Parses the last path segment of {@code /v2/<name>/manifests/<reference>}: a digest when it
     * contains a colon ({@code DIGEST_INVALID} if malformed), else a tag ({@code TAG_INVALID}).
     */
    static Reference parse(String text) {
        if (text != null && text.indexOf(':') >= 0) return Digest.parse(text);
        return Tag.of(text);
    }
}
