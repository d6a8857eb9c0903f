package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stevedore.auth.Access;
import org.stevedore.auth.Action;
import org.stevedore.error.RegistryException;
import org.stevedore.model.RepositoryName;

/**
 * The accesses a route and method need, as distribution asks for them: reading is pull; writing
 * is pull and push; deleting is delete, but cancelling an upload is a write; a mount also needs
 * pull on the source repository; listing the catalog is {@code registry:catalog:*}; {@code /v2/}
 * needs credentials only.
 */
final class RouteAccess {
    private RouteAccess() {
    }

    static List<Access> needed(V2Route route, String method, HttpServerExchange exchange) {
        if (route instanceof V2Route.Base) return List.of();
        if (route instanceof V2Route.Catalog) return List.of(Access.catalog());
        RepositoryName name = nameOf(route);
        // Cancelling an upload deletes no content: like every upload step it needs push, as in distribution.
        if (method.equals("DELETE") && !(route instanceof V2Route.Upload)) {
            return List.of(Access.repository(name, Action.DELETE));
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            if (!(route instanceof V2Route.Upload)) return List.of(Access.repository(name, Action.PULL));
        }
        List<Access> needed = new ArrayList<>(3);
        needed.add(Access.repository(name, Action.PULL));
        needed.add(Access.repository(name, Action.PUSH));
        if (route instanceof V2Route.UploadStart) {
            Optional<String> from = UploadHandler.query(exchange, "from");
            if (from.isPresent() && UploadHandler.query(exchange, "mount").isPresent()) {
                try {
                    needed.add(Access.repository(RepositoryName.of(from.get()), Action.PULL));
                } catch (RegistryException invalidName) {
                    // An invalid source cannot be mounted from; the request becomes a plain upload.
                }
            }
        }
        return needed;
    }

    /** The repository a route names; empty for {@code /v2/} and the catalog. */
    static Optional<RepositoryName> repository(V2Route route) {
        if (route instanceof V2Route.Base || route instanceof V2Route.Catalog) return Optional.empty();
        return Optional.of(nameOf(route));
    }

    private static RepositoryName nameOf(V2Route route) {
        if (route instanceof V2Route.Tags r) return r.name();
        if (route instanceof V2Route.Manifest r) return r.name();
        if (route instanceof V2Route.Blob r) return r.name();
        if (route instanceof V2Route.UploadStart r) return r.name();
        if (route instanceof V2Route.Upload r) return r.name();
        if (route instanceof V2Route.Referrers r) return r.name();
        throw new IllegalArgumentException("no repository in " + route);
    }
}
