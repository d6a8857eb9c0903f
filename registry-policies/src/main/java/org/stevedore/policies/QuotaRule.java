package org.stevedore.policies;

import java.util.Objects;

/**
 * One {@code policies.quotas} entry: each repository matching {@code repositories} may use at
 * most {@code bytes} (see {@link RepositoryUsage}); the first matching rule applies.
 *
 * @param name how messages name the rule, e.g. {@code policies.quotas[0]}
 */
public record QuotaRule(String name, Glob repositories, long bytes) {
    public QuotaRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(repositories, "repositories");
        if (bytes < 0) throw new IllegalArgumentException("bytes must not be negative");
    }
}
