package org.stevedore.registry;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/**
 * Serves a few exact paths (such as a built-in token endpoint) before the distribution API; every
 * other request goes to the registry handler unchanged.
 */
final class ExtraRoutes implements HttpHandler {
    private final Map<String, HttpHandler> routes;
    private final HttpHandler next;

    private ExtraRoutes(Map<String, HttpHandler> routes, HttpHandler next) {
        this.routes = routes;
        this.next = next;
    }

    static HttpHandler around(Map<String, HttpHandler> routes, HttpHandler next) {
        return routes.isEmpty() ? next : new ExtraRoutes(Map.copyOf(routes), next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HttpHandler route = routes.get(exchange.getRequestPath());
        (route != null ? route : next).handleRequest(exchange);
    }
}
