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
     * As {@link #beforeManifest}, for a guard that must learn how the PUT ended: the returned
     * admission is told {@link Admission#stored} once the manifest is visible, or
     * {@link Admission#abandoned} if the PUT failed after this call (nothing of it visible, or
     * at worst its revision without its tag). The default calls {@link #beforeManifest}.
     */
    default Admission admitManifest(RepositoryName name, org.stevedore.model.Manifest manifest)
            throws java.io.IOException {
        beforeManifest(name, manifest);
        return Admission.NONE;
    }

    /**
     * An upload into {@code name} is about to write data (a session starting, a chunk, the last
     * chunk, a whole blob in one request): {@code declaredBytes} is what the request declares the
     * blob will hold at least (its {@code Content-Length}, plus the offset a {@code Content-Range}
     * starts at), zero when it declares nothing; {@code digest} the blob's digest when the request
     * names it (a whole blob, a last chunk). Throwing refuses the request before any data is
     * written. Called for every upload request; keep it cheap when the repository is not concerned.
     */
    default void beforeUpload(RepositoryName name, long declaredBytes, Optional<Digest> digest)
            throws java.io.IOException {
    }

    /** The manifest {@code digest} has left {@code name} (its tags with it). Must not throw for policy reasons. */
    default void afterManifestDelete(RepositoryName name, Digest digest) throws java.io.IOException {
    }

    /** What a guard that admitted a manifest PUT learns of its end. */
    interface Admission {
        /** Learns nothing. */
        Admission NONE = new Admission() {
            @Override
            public void stored() {
            }

            @Override
            public void abandoned() {
            }
        };

        /** The manifest is stored and visible. */
        void stored() throws java.io.IOException;

        /** The PUT failed after it was admitted. Must not throw. */
        void abandoned();
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
