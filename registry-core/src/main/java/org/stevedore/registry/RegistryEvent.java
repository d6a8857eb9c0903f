package org.stevedore.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that happened in a {@link Registry}, as its {@link EventJournal} records it. Published API.
 *
 * @param type       what happened
 * @param repository the repository, when the request named one
 * @param reference  the tag or digest of a manifest request, when it named one
 * @param digest     the content's digest: the one answered in {@code Docker-Content-Digest}, else
 *                   the one in the path or the mount parameter
 * @param user       who did it (authenticated user; for {@link Type#AUTH_FAILED} the claimed one)
 * @param method     the HTTP method
 * @param path       the request path
 * @param status     the HTTP status answered
 * @param time       when the response was committed
 */
public record RegistryEvent(Type type, Optional<String> repository, Optional<String> reference,
                            Optional<String> digest, Optional<String> user, String method, String path, int status,
                            Instant time) {

    /** Kinds of events. */
    public enum Type {
        /** A manifest was stored ({@code PUT /manifests/<reference>}, 201). */
        PUSH,
        /** A blob upload completed (final {@code PUT}, or a monolithic {@code POST ?digest=}, 201). */
        BLOB_PUSH,
        /** A manifest was served ({@code GET /manifests/<reference>}, 200). */
        PULL,
        /** A blob was served ({@code GET /blobs/<digest>}, 200, 206 or a redirect). */
        BLOB_PULL,
        /** A blob was mounted from another repository ({@code POST ?mount=}, 201). */
        MOUNT,
        /** A manifest, tag or blob was deleted (202). */
        DELETE,
        /** Credentials were missing, wrong (401) or not enough (403). */
        AUTH_FAILED
    }

    public RegistryEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(time, "time");
    }
}
