package org.stevedore.notifications;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;

/**
 * An event as the observer saw it, before its target is looked up: cheap to make on the
 * request's thread.
 *
 * @param timestamp      when the response committed
 * @param content        what the target is: decides the lookup and the {@code target.url}
 * @param digest         the target's digest; empty for a deleted tag
 * @param tag            the tag a manifest was pushed, pulled or deleted by
 * @param fromRepository the source repository of a mount
 * @param request        distribution's {@code request} record
 * @param actor          the authenticated user, distribution's {@code actor.name}
 */
record PendingEvent(Instant timestamp, Action action, Content content, RepositoryName repository,
                    Optional<Digest> digest, Optional<String> tag, Optional<String> fromRepository,
                    RequestRecord request, Optional<String> actor) {
    PendingEvent {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(fromRepository, "fromRepository");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(actor, "actor");
    }

    /** The kinds of content an event is about. */
    enum Content { MANIFEST, BLOB }

    /**
     * distribution's {@code RequestRecord}.
     *
     * @param id        the registry's request id
     * @param addr      the client's {@code host:port}
     * @param host      the {@code Host} header
     * @param method    the HTTP method
     * @param userAgent the {@code User-Agent} header
     */
    record RequestRecord(String id, String addr, String host, String method, String userAgent) {
    }
}
