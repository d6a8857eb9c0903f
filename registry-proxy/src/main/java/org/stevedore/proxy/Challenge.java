package org.stevedore.proxy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code WWW-Authenticate} header from an upstream: its scheme ({@code basic} or
 * {@code bearer}, lower case) and parameters, e.g. {@code realm}, {@code service}, {@code scope}.
 */
record Challenge(String scheme, Map<String, String> parameters) {
    private static final Pattern PARAMETER = Pattern.compile("([A-Za-z0-9_-]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

    Challenge {
        parameters = Map.copyOf(parameters);
    }

    /** The challenge in {@code header}; empty when there is none or it is unreadable. */
    static Optional<Challenge> parse(String header) {
        if (header == null) return Optional.empty();
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        if (scheme.isEmpty()) return Optional.empty();
        Map<String, String> parameters = new LinkedHashMap<>();
        if (space > 0) {
            Matcher m = PARAMETER.matcher(trimmed.substring(space + 1));
            while (m.find()) {
                String value = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
                parameters.put(m.group(1).toLowerCase(Locale.ROOT), value);
            }
        }
        return Optional.of(new Challenge(scheme, parameters));
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}
