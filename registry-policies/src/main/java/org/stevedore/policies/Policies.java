package org.stevedore.policies;

import java.util.List;
import java.util.Objects;

/** Everything under the {@code policies} configuration section. */
public record Policies(List<ImmutableRule> immutable, RetentionPolicy retention) {
    public static final Policies NONE = new Policies(List.of(), RetentionPolicy.NONE);

    public Policies {
        immutable = List.copyOf(immutable);
        Objects.requireNonNull(retention, "retention");
    }

    /** The guard enforcing {@link #immutable}; guards nothing when there are no rules. */
    public ImmutableTags immutableTags() {
        return new ImmutableTags(immutable);
    }
}
