package org.stevedore.service;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.stevedore.model.Digest;
import org.stevedore.model.Reference;
import org.stevedore.model.RepositoryName;

/**
 * Where content a repository does not hold yet may come from: the upstream of a pull-through
 * cache. The HTTP layer consults it only for repositories it {@link #covers}: before serving a
 * manifest from storage, and when a blob is missing. Such repositories are read-only for clients.
 * Implementations store what they fetch through {@link RegistryService}, so later reads are served
 * from storage alone. Thread-safe. Published API.
 */
public interface ContentSource {

    /** No upstream: every repository is hosted. */
    ContentSource NONE = new ContentSource() {
        @Override
        public boolean covers(RepositoryName name) {
            return false;
        }

        @Override
        public void refreshManifest(RepositoryName name, Reference reference) {
        }

        @Override
        public OptionalLong statBlob(RepositoryName name, Digest digest) {
            return OptionalLong.empty();
        }

        @Override
        public Optional<RemoteBlob> openBlob(RepositoryName name, Digest digest) {
            return Optional.empty();
        }
    };

    /** Whether {@code name} is served from this source; clients may not write to it. */
    boolean covers(RepositoryName name);

    /**
     * Called before a manifest of a covered repository is read from storage: stores the manifest
     * when it is missing, or when a tag is due for revalidation and the upstream moved it. When the
     * upstream cannot be reached, returns quietly so that storage answers with what it has.
     */
    void refreshManifest(RepositoryName name, Reference reference) throws IOException;

    /** The size of a blob the upstream holds and storage lacks; empty when the upstream lacks it too. */
    OptionalLong statBlob(RepositoryName name, Digest digest) throws IOException;

    /**
     * Opens a blob the upstream holds and storage lacks; empty when the upstream lacks it too. The
     * caller closes the blob; closing it before {@link RemoteBlob#transferTo} ends stores nothing.
     */
    Optional<RemoteBlob> openBlob(RepositoryName name, Digest digest) throws IOException;

    /**
     * Every tag the upstream lists for a covered repository, as distribution's proxy answers tag
     * lists; empty when the upstream cannot say, and storage lists what it has.
     */
    default Optional<List<String>> listTags(RepositoryName name) throws IOException {
        return Optional.empty();
    }
}
