package org.stevedore.ui.browse;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.stevedore.model.RepositoryName;
import org.stevedore.policies.Policies;
import org.stevedore.policies.RepositoryUsage;
import org.stevedore.policies.Retention;
import org.stevedore.policies.RetentionPlan;
import org.stevedore.service.RegistryService;

/**
 * What the governance pages read, through the policies module's own classes so that the UI shows
 * the figures {@code /api/v1/} and {@code stevedore usage} give: a repository's usage against its
 * quota, and what the next retention run would keep and delete (planned, nothing written).
 */
public final class Governance {
    private final RegistryService service;
    private final Policies policies;
    private final Clock clock;

    public Governance(RegistryService service, Policies policies, Clock clock) {
        this.service = Objects.requireNonNull(service, "service");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A repository's usage and the quota of the first quota rule matching it.
     *
     * @param quota empty when no rule limits the repository
     */
    public record Usage(RepositoryUsage usage, OptionalLong quota) {
        /** Used share of the quota in whole percent, 0 without quota (may pass 100 after the rule shrank). */
        public long percent() {
            if (quota.isEmpty() || quota.getAsLong() == 0) return quota.isPresent() && usage.bytes() > 0 ? 100 : 0;
            return Math.round(100.0 * usage.bytes() / quota.getAsLong());
        }
    }

    /** Reads {@code name}'s usage from storage (its manifests), as the policies API does. */
    public Usage usage(RepositoryName name) throws IOException {
        return new Usage(RepositoryUsage.of(service, name), policies.quotaFor(name));
    }

    /** Whether any retention rule is configured. */
    public boolean retentionConfigured() {
        return !policies.retention().rules().isEmpty();
    }

    /** Whether a retention rule applies to the repository named {@code name}. */
    public boolean retained(RepositoryName name) {
        return policies.retention().ruleFor(name).isPresent();
    }

    /** What the next retention run would decide for {@code name}; empty when no rule applies. */
    public Optional<RetentionPlan> plan(RepositoryName name) throws IOException {
        return new Retention(service, policies, clock).plan(name);
    }
}
