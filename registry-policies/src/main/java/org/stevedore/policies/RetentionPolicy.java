package org.stevedore.policies;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stevedore.model.RepositoryName;

/**
 * {@code policies.retention}: the rules, and how the server runs them.
 *
 * @param interval how often the server runs retention; empty: only on demand (command, API)
 * @param dryRun   the server's periodic run only logs its plan
 */
public record RetentionPolicy(Optional<Duration> interval, boolean dryRun, List<RetentionRule> rules) {
    public static final RetentionPolicy NONE = new RetentionPolicy(Optional.empty(), false, List.of());

    public RetentionPolicy {
        Objects.requireNonNull(interval, "interval");
        if (interval.filter(i -> i.isNegative() || i.isZero()).isPresent()) {
            throw new IllegalArgumentException("interval must be positive");
        }
        rules = List.copyOf(rules);
    }

    /** The first rule whose repositories match {@code name}. */
    public Optional<RetentionRule> ruleFor(RepositoryName name) {
        return rules.stream().filter(rule -> rule.repositories().matches(name.value())).findFirst();
    }
}
