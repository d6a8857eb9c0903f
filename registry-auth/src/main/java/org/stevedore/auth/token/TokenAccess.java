package org.stevedore.auth.token;

import java.util.Objects;
import java.util.Set;
import org.stevedore.auth.Access;

/**
 * One entry of a token's {@code access} claim: {@code {"type","name","actions"}}, as
 * distribution's token specification defines it.
 */
public record TokenAccess(String type, String name, Set<String> actions) {
    public TokenAccess {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        actions = Set.copyOf(actions);
    }

    /** Whether this entry grants {@code access}; {@code *} grants every action. */
    public boolean grants(Access access) {
        return type.equals(access.type()) && name.equals(access.name())
                && (actions.contains(access.action().scopeName()) || actions.contains("*"));
    }
}
