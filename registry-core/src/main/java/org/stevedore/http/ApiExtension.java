package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import java.util.List;
import org.stevedore.auth.Access;

/**
 * Routes under {@link #PREFIX} served beside the distribution API (an admin API such as the
 * policies module's), never under {@code /v2/}. The registry handler runs them like its own
 * routes: on a worker thread, behind the same access controller (asked for the accesses
 * {@link #needed} names), with the same error bodies, access log and observers; writes are
 * refused while the registry is read-only, and {@code DELETE} while deletion is disabled.
 */
public interface ApiExtension {
    String PREFIX = "/api/v1/";

    /**
     * The accesses the request needs, decided from its method and path alone. An unknown route
     * may throw {@code NOT_FOUND} here; it is then answered only to authenticated callers.
     */
    List<Access> needed(HttpServerExchange exchange);

    /** Answers an authorized request; a {@link org.stevedore.error.RegistryException} becomes the error body. */
    void handle(HttpServerExchange exchange) throws Exception;
}
