package org.stevedore.auth.rules;

import java.util.regex.Pattern;

/**
 * A repository name pattern: {@code *} matches within one path component, {@code **} across
 * components, {@code ?} one character other than {@code /}; everything else literally. So
 * {@code team/*} matches {@code team/app} but not {@code team/app/web}, and {@code team/**} both.
 */
public record RepositoryGlob(String glob, Pattern pattern) {

    public static RepositoryGlob of(String glob) {
        if (glob.isBlank()) throw new IllegalArgumentException("empty repository pattern");
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c != '*' && c != '?') {
                literal.append(c);
                continue;
            }
            if (literal.length() > 0) {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            if (c == '?') {
                regex.append("[^/]");
            } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else {
                regex.append("[^/]*");
            }
        }
        if (literal.length() > 0) regex.append(Pattern.quote(literal.toString()));
        return new RepositoryGlob(glob, Pattern.compile(regex.toString()));
    }

    public boolean matches(String repository) {
        return pattern.matcher(repository).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
