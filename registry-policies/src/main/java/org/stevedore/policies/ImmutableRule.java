package org.stevedore.policies;

import java.util.Objects;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;

/**
 * One {@code policies.immutable} entry: tags matching {@code tags} in repositories matching
 * {@code repositories}, once pushed, never move to another digest and are never deleted.
 *
 * @param name how messages name the rule, e.g. {@code policies.immutable[0]}
 */
public record ImmutableRule(String name, Glob repositories, Glob tags) {
    public ImmutableRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(repositories, "repositories");
        Objects.requireNonNull(tags, "tags");
    }

    public boolean covers(RepositoryName repository, Tag tag) {
        return repositories.matches(repository.value()) && tags.matches(tag.value());
    }

    /** The rule as a message shows it: name and patterns. */
    public String describe() {
        return name + " (repositories \"" + repositories + "\", tags \"" + tags + "\")";
    }
}
