package org.stevedore.model;

import java.util.regex.Pattern;
import org.stevedore.error.ErrorCode;

/** A tag: a word character, then up to 127 of {@code [A-Za-z0-9._-]} (OCI distribution spec). */
public record Tag(String value) implements Reference {
    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (value == null || value.length() > 128 || !GRAMMAR.matcher(value).matches()) {
            throw ErrorCode.TAG_INVALID.withDetail("invalid tag " + Digest.shorten(String.valueOf(value)));
        }
    }

    public static Tag of(String value) {
        return new Tag(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
