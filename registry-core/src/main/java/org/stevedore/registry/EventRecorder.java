package org.stevedore.registry;

import java.time.Clock;
import java.util.Optional;
import org.stevedore.http.CompletedRequest;
import org.stevedore.http.RequestObserver;
import org.stevedore.http.V2Route;

/**
 * Turns completed requests into {@link RegistryEvent}s: decides from route, method and status
 * which requests are events at all (existence checks, listings, upload chunks and failures
 * other than auth are not).
 */
final class EventRecorder implements RequestObserver {
    private final EventJournal journal;
    private final Clock clock;

    EventRecorder(EventJournal journal, Clock clock) {
        this.journal = journal;
        this.clock = clock;
    }

    @Override
    public void completed(CompletedRequest request) {
        Optional<RegistryEvent.Type> type = typeOf(request);
        if (type.isEmpty()) return;
        V2Route route = request.route().orElse(null);
        Optional<String> repository = Optional.empty();
        Optional<String> reference = Optional.empty();
        Optional<String> digest = request.contentDigest();
        if (route instanceof V2Route.Manifest manifest) {
            repository = Optional.of(manifest.name().value());
            reference = Optional.of(manifest.reference().toString());
            if (digest.isEmpty() && manifest.reference() instanceof org.stevedore.model.Digest d) {
                digest = Optional.of(d.toString());
            }
        } else if (route instanceof V2Route.Blob blob) {
            repository = Optional.of(blob.name().value());
            if (digest.isEmpty()) digest = Optional.of(blob.digest().toString());
        } else if (route instanceof V2Route.UploadStart start) {
            repository = Optional.of(start.name().value());
            if (digest.isEmpty()) digest = request.mountParameter();
        } else if (route instanceof V2Route.Upload upload) {
            repository = Optional.of(upload.name().value());
        } else if (route instanceof V2Route.Tags tags) {
            repository = Optional.of(tags.name().value());
        } else if (route instanceof V2Route.Referrers referrers) {
            repository = Optional.of(referrers.name().value());
        }
        journal.record(new RegistryEvent(type.get(), repository, reference, digest, request.user(),
                request.method(), request.path(), request.status(), clock.instant()));
    }

    static Optional<RegistryEvent.Type> typeOf(CompletedRequest request) {
        int status = request.status();
        if (status == 401 || status == 403) return Optional.of(RegistryEvent.Type.AUTH_FAILED);
        if (request.route().isEmpty()) return Optional.empty();
        V2Route route = request.route().get();
        String method = request.method();
        boolean ok = status >= 200 && status < 300;
        if (route instanceof V2Route.Manifest) {
            if (method.equals("PUT") && status == 201) return Optional.of(RegistryEvent.Type.PUSH);
            if (method.equals("GET") && ok) return Optional.of(RegistryEvent.Type.PULL);
            if (method.equals("DELETE") && ok) return Optional.of(RegistryEvent.Type.DELETE);
        } else if (route instanceof V2Route.Blob) {
            boolean redirect = status == 307 || status == 302;
            if (method.equals("GET") && (ok || redirect)) return Optional.of(RegistryEvent.Type.BLOB_PULL);
            if (method.equals("DELETE") && ok) return Optional.of(RegistryEvent.Type.DELETE);
        } else if (route instanceof V2Route.UploadStart && method.equals("POST") && status == 201) {
            boolean mount = request.mountParameter().isPresent() && request.digestParameter().isEmpty();
            return Optional.of(mount ? RegistryEvent.Type.MOUNT : RegistryEvent.Type.BLOB_PUSH);
        } else if (route instanceof V2Route.Upload && method.equals("PUT") && status == 201) {
            return Optional.of(RegistryEvent.Type.BLOB_PUSH);
        }
        return Optional.empty();
    }
}
