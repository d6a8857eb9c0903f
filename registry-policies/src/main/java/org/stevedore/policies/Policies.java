package org.stevedore.policies;

import java.util.List;
import java.util.Objects;
import org.stevedore.service.ManifestGuard;
import org.stevedore.storage.StorageDriver;

/**
 * Everything under the {@code policies} configuration section.
 *
 * @param verifyInterval {@code policies.verify.interval}: how often the server verifies storage online
 */
public record Policies(List<ImmutableRule> immutable, List<QuotaRule> quotas, RetentionPolicy retention,
                       java.util.Optional<java.time.Duration> verifyInterval) {
    public static final Policies NONE = new Policies(List.of(), List.of(), RetentionPolicy.NONE);

    public Policies {
        immutable = List.copyOf(immutable);
        quotas = List.copyOf(quotas);
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(verifyInterval, "verifyInterval");
    }

    /** Without a periodic verify. */
    public Policies(List<ImmutableRule> immutable, List<QuotaRule> quotas, RetentionPolicy retention) {
        this(immutable, quotas, retention, java.util.Optional.empty());
    }

    /** Without quotas. */
    public Policies(List<ImmutableRule> immutable, RetentionPolicy retention) {
        this(immutable, List.of(), retention);
    }

    /** The guard enforcing {@link #immutable}; guards nothing when there are no rules. */
    public ImmutableTags immutableTags() {
        return new ImmutableTags(immutable);
    }

    /** The quota of {@code name}: the first matching rule's bytes. */
    public java.util.OptionalLong quotaFor(org.stevedore.model.RepositoryName name) {
        return quotas.stream().filter(rule -> rule.repositories().matches(name.value()))
                .mapToLong(QuotaRule::bytes).findFirst();
    }

    /** The guard a registry over {@code driver} needs: quotas and immutable tags. */
    public ManifestGuard guard(StorageDriver driver, int maxManifestBytes) {
        return guard(quotas(driver, maxManifestBytes));
    }

    /** Quota enforcement over {@code driver}; empty without quota rules. */
    public java.util.Optional<Quotas> quotas(StorageDriver driver, int maxManifestBytes) {
        return quotas.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new Quotas(quotas, driver, maxManifestBytes));
    }

    /** Immutable tags and, if given, these quotas (one instance per registry: it holds the usage gauges). */
    public ManifestGuard guard(java.util.Optional<Quotas> quotas) {
        return quotas.<ManifestGuard>map(q -> new PolicyGuard(immutableTags(), q)).orElseGet(this::immutableTags);
    }
}
