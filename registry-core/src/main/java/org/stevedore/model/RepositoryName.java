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
    private static final Pattern COMPONENT_GRAMMAR = Pattern.compile(COMPONENT);
    private static final Pattern ALLOWED_CHARACTER = Pattern.compile("[a-z0-9._/-]");
    private static final Pattern SEPARATOR = Pattern.compile("[._-]+");

    public RepositoryName {
        if (value == null || value.isEmpty()) throw ErrorCode.NAME_INVALID.withDetail("empty repository name");
        if (value.length() > MAX_LENGTH) {
            throw ErrorCode.NAME_INVALID.withDetail("repository name longer than " + MAX_LENGTH + " characters ("
                    + value.length() + ")");
        }
        if (!inGrammar(value)) {
            throw ErrorCode.NAME_INVALID.withDetail("invalid repository name " + Digest.shorten(value) + ": " + why(value));
        }
    }

    public static RepositoryName of(String value) {
        return new RepositoryName(value);
    }

    /**
     * Whether {@code value} is in the grammar (components of {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*}
     * joined by {@code /}). Checked by hand, not with the regular expression: every API request
     * names a repository, and the expression cost a matcher, its arrays and a backtracking walk.
     * {@code RepositoryNameTest} holds the two equal.
     */
    static boolean inGrammar(String value) {
        int n = value.length();
        int i = 0;
        while (true) {
            if (i == n || !alphanumeric(value.charAt(i))) return false; // a component starts with one
            while (i < n && value.charAt(i) != '/') {
                if (alphanumeric(value.charAt(i))) {
                    i++;
                    continue;
                }
                int start = i;
                while (i < n && isSeparator(value.charAt(i))) i++;
                if (!validSeparator(value, start, i) || i == n || !alphanumeric(value.charAt(i))) return false;
            }
            if (i == n) return true;
            i++; // past the '/'
        }
    }

    private static boolean alphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isSeparator(char c) {
        return c == '.' || c == '_' || c == '-';
    }

    /** {@code .}, {@code _}, {@code __} or a run of {@code -}. */
    private static boolean validSeparator(String value, int start, int end) {
        int length = end - start;
        if (length == 0) return false;
        if (length == 1) return true;
        if (length == 2 && value.charAt(start) == '_' && value.charAt(start + 1) == '_') return true;
        for (int i = start; i < end; i++) {
            if (value.charAt(i) != '-') return false;
        }
        return true;
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
