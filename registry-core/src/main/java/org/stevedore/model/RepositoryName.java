package org.stevedore.model;

import java.util.regex.Pattern;
import org.stevedore.error.ErrorCode;

/**
 * A repository name: path components of lowercase alphanumerics joined by {@code .}, {@code _},
 * {@code __} or runs of {@code -}, separated by {@code /}, at most 255 characters in all
 * (OCI distribution spec, "Pulling manifests"). Since no component may be {@code .} or
 * {@code ..} or empty, a valid name is always a safe relative storage path.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
    public static final int MAX_LENGTH = 255;
    private static final Pattern GRAMMAR = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

    public RepositoryName {
        if (value == null || value.isEmpty()) throw ErrorCode.NAME_INVALID.withDetail("empty repository name");
        if (value.length() > MAX_LENGTH) {
            throw ErrorCode.NAME_INVALID.withDetail("repository name longer than " + MAX_LENGTH + " characters");
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw ErrorCode.NAME_INVALID.withDetail("invalid repository name " + Digest.shorten(value));
        }
    }

    public static RepositoryName of(String value) {
        return new RepositoryName(value);
    }

    @Override
    public int compareTo(RepositoryName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
