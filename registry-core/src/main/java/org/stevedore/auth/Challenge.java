package org.stevedore.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code WWW-Authenticate} challenge: a scheme and its parameters, e.g.
 * {@code Basic realm="Registry Realm"} or {@code Bearer realm="…",service="…",scope="…"}.
 */
public record Challenge(String scheme, Map<String, String> parameters) {
    public Challenge {
        Objects.requireNonNull(scheme, "scheme");
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The header value; parameter values are quoted, with {@code "} and {@code \} escaped. */
    public String headerValue() {
        StringBuilder header = new StringBuilder(scheme);
        String separator = " ";
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            header.append(separator).append(parameter.getKey()).append("=\"")
                    .append(parameter.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            separator = ",";
        }
        return header.toString();
    }
}
