package org.stevedore.auth.token;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stevedore.auth.Access;

/**
 * Scope strings as in distribution's token specification: {@code type:name:action[,action]},
 * several separated by spaces, e.g. {@code repository:team/app:pull,push registry:catalog:*}.
 */
public final class Scopes {
    private Scopes() {
    }

    /**
     * The scopes in {@code text}; malformed ones are skipped (a token server grants what it can).
     * A resource class such as {@code repository(plugin)} is dropped from the type.
     */
    public static List<TokenAccess> parse(String text) {
        List<TokenAccess> scopes = new ArrayList<>();
        for (String scope : text.trim().split(" +")) {
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first <= 0 || last == first || last == scope.length() - 1) continue;
            String type = scope.substring(0, first);
            int paren = type.indexOf('(');
            if (paren > 0) type = type.substring(0, paren);
            Set<String> actions = new LinkedHashSet<>(List.of(scope.substring(last + 1).split(",")));
            actions.remove("");
            scopes.add(new TokenAccess(type, scope.substring(first + 1, last), actions));
        }
        return scopes;
    }

    /** The {@code scope} parameter of a challenge for {@code needed}: one entry per resource. */
    public static String format(List<Access> needed) {
        Map<String, Set<String>> byResource = new LinkedHashMap<>();
        for (Access access : needed) {
            byResource.computeIfAbsent(access.type() + ":" + access.name(), r -> new LinkedHashSet<>())
                    .add(access.action().scopeName());
        }
        List<String> scopes = new ArrayList<>();
        byResource.forEach((resource, actions) -> scopes.add(resource + ":" + String.join(",", actions)));
        return String.join(" ", scopes);
    }
}
