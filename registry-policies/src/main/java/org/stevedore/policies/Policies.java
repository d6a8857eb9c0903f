package org.stevedore.policies;

import java.util.List;
import java.util.Objects;
import org.stevedore.service.ManifestGuard;
import org.stevedore.storage.StorageDriver;

/** Everything under the {@code policies} configuration section. */
public record Policies(List<ImmutableRule> immutable, List<QuotaRule> quotas, RetentionPolicy retention) {
    public static final Policies NONE = new Policies(List.of(), List.of(), RetentionPolicy.NONE);

    public Policies {
        immutable = List.copyOf(immutable);
        quotas = List.copyOf(quotas);
        Objects.requireNonNull(retention, "retention");
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
        if (quotas.isEmpty()) return immutableTags();
        return new PolicyGuard(immutableTags(), new Quotas(quotas, driver, maxManifestBytes));
    }
}
