package org.stevedore.registry;

import java.util.Objects;
import java.util.Optional;
import org.stevedore.auth.AccessController;
import org.stevedore.http.ManifestDeleter;
import org.stevedore.http.RequestObserver;
import org.stevedore.service.RegistryService;

/**
 * What a handler mounted with {@link RegistryBuilder#mount} is given when the registry starts:
 * the registry's own services and the rules its API follows, so that an add-on (the web UI) reads
 * the same content and applies the same access decisions as {@code /v2/}. Published API.
 *
 * @param service          the started registry's services
 * @param accessController who may do what; empty when anyone may do anything
 * @param deleteEnabled    whether deleting manifests and tags is allowed
 * @param readOnly         whether every write is refused
 * @param tls              whether the listener serves HTTPS (cookies then get {@code Secure})
 * @param accessLogAtInfo  whether access lines go out at INFO (a server) or DEBUG (embedded)
 * @param deleter          deletes manifests and tags so that the API's observers see it as a
 *                         {@code DELETE /v2/…} (events, notifications, metrics, access log)
 */
public record MountContext(RegistryService service, Optional<AccessController> accessController,
                           boolean deleteEnabled, boolean readOnly, boolean tls, boolean accessLogAtInfo,
                           ManifestDeleter deleter) {
    public MountContext {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(accessController, "accessController");
        Objects.requireNonNull(deleter, "deleter");
    }

    /** A context whose deletions no observer sees (for handlers made outside a registry, e.g. in tests). */
    public MountContext(RegistryService service, Optional<AccessController> accessController,
                        boolean deleteEnabled, boolean readOnly, boolean tls, boolean accessLogAtInfo) {
        this(service, accessController, deleteEnabled, readOnly, tls, accessLogAtInfo,
                new ManifestDeleter(service.manifests(), RequestObserver.NONE, accessLogAtInfo));
    }
}
