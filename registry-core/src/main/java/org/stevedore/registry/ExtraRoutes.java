package org.stevedore.registry;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/**
 * Serves a few exact paths (such as a built-in token endpoint) and mounted path prefixes (such as
 * the web UI under {@code /ui/}) before the distribution API; every other request goes to the
 * registry handler unchanged.
 */
final class ExtraRoutes implements HttpHandler {
    private final Map<String, HttpHandler> routes;
    /** Prefix ending in {@code /} to handler; the prefix without its slash goes there too. */
    private final Map<String, HttpHandler> mounts;
    private final HttpHandler next;

    private ExtraRoutes(Map<String, HttpHandler> routes, Map<String, HttpHandler> mounts, HttpHandler next) {
        this.routes = routes;
        this.mounts = mounts;
        this.next = next;
    }

    static HttpHandler around(Map<String, HttpHandler> routes, Map<String, HttpHandler> mounts, HttpHandler next) {
        return routes.isEmpty() && mounts.isEmpty() ? next
                : new ExtraRoutes(Map.copyOf(routes), Map.copyOf(mounts), next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        HttpHandler route = routes.get(path);
        if (route == null && !mounts.isEmpty()) route = mounted(path);
        (route != null ? route : next).handleRequest(exchange);
    }

    private HttpHandler mounted(String path) {
        for (Map.Entry<String, HttpHandler> mount : mounts.entrySet()) {
            String prefix = mount.getKey();
            if (path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1))) return mount.getValue();
        }
        return null;
    }
}
