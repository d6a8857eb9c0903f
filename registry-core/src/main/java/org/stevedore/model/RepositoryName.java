package org.stevedore.model;

import java.util.regex.Matcher;
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
    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern GRAMMAR = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern COMPONENT_GRAMMAR = Pattern.compile(COMPONENT);
    private static final Pattern ALLOWED_CHARACTER = Pattern.compile("[a-z0-9._/-]");
    private static final Pattern SEPARATOR = Pattern.compile("[._-]+");

    public RepositoryName {
        if (value == null || value.isEmpty()) throw ErrorCode.NAME_INVALID.withDetail("empty repository name");
        if (value.length() > MAX_LENGTH) {
            throw ErrorCode.NAME_INVALID.withDetail("repository name longer than " + MAX_LENGTH + " characters ("
                    + value.length() + ")");
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw ErrorCode.NAME_INVALID.withDetail("invalid repository name " + Digest.shorten(value) + ": " + why(value));
        }
    }

    public static RepositoryName of(String value) {
        return new RepositoryName(value);
    }

    /** Why {@code value}, which does not match the grammar, does not: the first rule it breaks, in words. */
    static String why(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 'A' && c <= 'Z') return "upper-case letters are not allowed, names are lower case";
        }
        for (int i = 0; i < value.length(); i++) {
            String c = String.valueOf(value.charAt(i));
            if (!ALLOWED_CHARACTER.matcher(c).matches()) {
                return "character " + describe(value.charAt(i)) + " is not allowed; a name has only a-z, 0-9, '.', '_',"
                        + " '-' and '/' between components";
            }
        }
        String[] components = value.split("/", -1);
        for (int i = 0; i < components.length; i++) {
            String component = components[i];
            if (component.isEmpty()) return "path component " + (i + 1) + " is empty (a leading, trailing or doubled '/')";
            if (COMPONENT_GRAMMAR.matcher(component).matches()) continue;
            String shown = "path component '" + Digest.shorten(component) + "'";
            if (!Character.isLetterOrDigit(component.charAt(0)) || !Character.isLetterOrDigit(component.charAt(component.length() - 1))) {
                return shown + " must begin and end with a letter or digit";
            }
            Matcher separator = SEPARATOR.matcher(component);
            while (separator.find()) {
                String run = separator.group();
                if (!run.equals(".") && !run.equals("_") && !run.equals("__") && !run.matches("-+")) {
                    return shown + " joins letters with '" + run + "'; only '.', '_', '__' or a run of '-' may";
                }
            }
            return shown + " does not match [a-z0-9]+((.|_|__|-+)[a-z0-9]+)*";
        }
        return "it does not match the repository name grammar";
    }

    private static String describe(char c) {
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
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
