package org.stevedore.auth;

import java.util.Objects;
import org.stevedore.model.RepositoryName;

/**
 * One thing a request needs to be allowed: an action on a resource, as in distribution's scope
 * strings ({@code repository:team/app:pull}, {@code registry:catalog:*}).
 *
 * @param type   {@code repository} or {@code registry}
 * @param name   the repository name, or {@code catalog}
 * @param action what is done
 */
public record Access(String type, String name, Action action) {
    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";

    public Access {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
    }

    public static Access repository(RepositoryName name, Action action) {
        return new Access(REPOSITORY, name.value(), action);
    }

    /** Listing every repository: {@code registry:catalog:*}. */
    public static Access catalog() {
        return new Access(REGISTRY, "catalog", Action.ALL);
    }

    /** The scope string of this access, e.g. {@code repository:team/app:pull}. */
    public String scope() {
        return type + ":" + name + ":" + action.scopeName();
    }
}
