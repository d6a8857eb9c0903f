package org.stevedore.notifications;

import java.time.Instant;
import java.util.Optional;
import org.stevedore.error.RegistryException;
import org.stevedore.http.CompletedRequest;
import org.stevedore.http.V2Route;
import org.stevedore.model.Digest;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;

/**
 * Decides which completed requests are events, the way distribution's repository listener fires
 * them (notifications/listener.go): a stored manifest (201) or completed blob upload (201) is a
 * push; a manifest or blob served (GET or HEAD, as distribution's handlers serve both through the
 * listener; blobs also on 206 and redirects) is a pull; a mount (201) is a mount; a deletion (202)
 * is a delete. Failures, existence misses, listings and upload chunks are not events.
 */
final class EventClassifier {
    private EventClassifier() {
    }

    static Optional<PendingEvent> classify(CompletedRequest request, Instant now) {
        if (request.route().isEmpty()) return Optional.empty();
        V2Route route = request.route().get();
        String method = request.method();
        int status = request.status();
        if (route instanceof V2Route.Manifest manifest) {
            return manifestEvent(request, manifest, method, status, now);
        }
        if (route instanceof V2Route.Blob blob) {
            boolean read = method.equals("GET") || method.equals("HEAD");
            if (read && (status == 200 || status == 206 || status == 307 || status == 302)) {
                return Optional.of(event(request, now, Action.PULL, PendingEvent.Content.BLOB, blob.name(),
                        Optional.of(blob.digest()), Optional.empty(), Optional.empty()));
            }
            if (method.equals("DELETE") && status == 202) {
                return Optional.of(event(request, now, Action.DELETE, PendingEvent.Content.BLOB, blob.name(),
                        Optional.of(blob.digest()), Optional.empty(), Optional.empty()));
            }
            return Optional.empty();
        }
        if (route instanceof V2Route.UploadStart start && method.equals("POST") && status == 201) {
            // The same test as the event journal's: a mount answers 201 only when it mounted.
            boolean mount = request.mountParameter().isPresent() && request.digestParameter().isEmpty();
            Optional<Digest> digest = digest(request.contentDigest().or(request::mountParameter));
            return Optional.of(event(request, now, mount ? Action.MOUNT : Action.PUSH, PendingEvent.Content.BLOB,
                    start.name(), digest, Optional.empty(),
                    mount ? request.fromParameter().filter(from -> !from.isBlank()) : Optional.empty()));
        }
        if (route instanceof V2Route.Upload upload && method.equals("PUT") && status == 201) {
            return Optional.of(event(request, now, Action.PUSH, PendingEvent.Content.BLOB, upload.name(),
                    digest(request.contentDigest()), Optional.empty(), Optional.empty()));
        }
        return Optional.empty();
    }

    private static Optional<PendingEvent> manifestEvent(CompletedRequest request, V2Route.Manifest manifest,
                                                        String method, int status, Instant now) {
        Action action;
        if (method.equals("PUT") && status == 201) action = Action.PUSH;
        else if ((method.equals("GET") || method.equals("HEAD")) && status == 200) action = Action.PULL;
        else if (method.equals("DELETE") && status == 202) action = Action.DELETE;
        else return Optional.empty();
        Optional<String> tag = manifest.reference() instanceof Tag t ? Optional.of(t.toString()) : Optional.empty();
        Optional<Digest> digest = manifest.reference() instanceof Digest d ? Optional.of(d)
                : digest(request.contentDigest());
        if (action == Action.DELETE && tag.isPresent()) {
            // A tag deletion names only the tag, as distribution's TagDeleted event.
            digest = Optional.empty();
        }
        return Optional.of(event(request, now, action, PendingEvent.Content.MANIFEST, manifest.name(), digest, tag,
                Optional.empty()));
    }

    private static PendingEvent event(CompletedRequest request, Instant now, Action action,
                                      PendingEvent.Content content, RepositoryName repository, Optional<Digest> digest,
                                      Optional<String> tag, Optional<String> fromRepository) {
        CompletedRequest.ClientInfo client = request.client();
        PendingEvent.RequestRecord record = new PendingEvent.RequestRecord(client.requestId(),
                address(client.remoteAddress()), client.host(), request.method(), client.userAgent());
        return new PendingEvent(now, action, content, repository, digest, tag, fromRepository, record,
                request.user().filter(user -> !user.isEmpty()));
    }

    private static Optional<Digest> digest(Optional<String> text) {
        try {
            return text.map(Digest::parse);
        } catch (RegistryException notADigest) {
            return Optional.empty();
        }
    }

    /** {@code host:port} from {@code InetSocketAddress.toString()}, which prints {@code name/1.2.3.4:5}. */
    static String address(String socketAddress) {
        int slash = socketAddress.indexOf('/');
        return slash < 0 ? socketAddress : socketAddress.substring(slash + 1);
    }
}
