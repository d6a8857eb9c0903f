package org.stevedore.model;

import org.stevedore.error.ErrorCode;

/** A tag: a word character, then up to 127 of {@code [A-Za-z0-9._-]} (OCI distribution spec). */
public record Tag(String value) implements Reference {
    public Tag {
        if (value == null || !inGrammar(value)) {
            throw ErrorCode.TAG_INVALID.withDetail("invalid tag " + Digest.shorten(String.valueOf(value)));
        }
    }

    public static Tag of(String value) {
        return new Tag(value);
    }

    /**
     * {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}, checked by hand (a tag is parsed on every request
     * that names one); {@code TagTest} holds it equal to the expression.
     */
    static boolean inGrammar(String value) {
        int n = value.length();
        if (n == 0 || n > 128) return false;
        char first = value.charAt(0);
        if (!(letterOrDigit(first) || first == '_')) return false;
        for (int i = 1; i < n; i++) {
            char c = value.charAt(i);
            if (!(letterOrDigit(c) || c == '_' || c == '.' || c == '-')) return false;
        }
        return true;
    }

    private static boolean letterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return value;
    }
}
