package org.stevedore.service;

import java.util.Optional;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;

/**
 * Asked before a tag moves or goes, so that a policy module (immutable tags) can refuse it by
 * throwing a {@link org.stevedore.error.RegistryException}, typically {@code DENIED}. Core knows
 * no policy: it tells the guard the facts, read only for tags the guard says it {@link #guards}.
 * Implementations must be thread-safe and must not write storage.
 */
public interface ManifestGuard {
    /** Guards nothing; costs nothing. */
    ManifestGuard NONE = new ManifestGuard() {
        @Override
        public boolean guards(RepositoryName name, Tag tag) {
            return false;
        }
    };

    /** Whether changes to this tag must be checked (the check costs a read of the tag's link). */
    boolean guards(RepositoryName name, Tag tag);

    /**
     * A manifest PUT is about to store {@code manifest} in {@code name} (parsed, not yet written);
     * for checks of the whole push, such as quotas. Called for every PUT; keep it cheap when the
     * repository is not concerned.
     */
    default void beforeManifest(RepositoryName name, org.stevedore.model.Manifest manifest) throws java.io.IOException {
    }

    /**
     * A manifest PUT is about to point {@code tag} at {@code next}; {@code current} is where it
     * points now, empty for a new tag. Pushing the same digest again is also told (current equals next).
     */
    default void beforeTag(RepositoryName name, Tag tag, Optional<Digest> current, Digest next) {
    }

    /**
     * {@code tag}, now pointing at {@code current}, is about to be deleted: by a tag DELETE, or
     * because the manifest it points at is deleted.
     */
    default void beforeUntag(RepositoryName name, Tag tag, Digest current) {
    }
}
