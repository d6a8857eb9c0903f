package org.stevedore.registry;

import java.util.Objects;
import java.util.Optional;
import org.stevedore.auth.AccessController;
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
 */
public record MountContext(RegistryService service, Optional<AccessController> accessController,
                           boolean deleteEnabled, boolean readOnly, boolean tls, boolean accessLogAtInfo) {
    public MountContext {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(accessController, "accessController");
    }
}
