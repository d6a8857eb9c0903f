package org.stevedore.launcher;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * distribution's debug listener ({@code http.debug.addr}): a separate small plain-HTTP server for
 * operators, never exposed with the API. Serves {@code /debug/health} and, when enabled, the
 * Prometheus metrics; anything else is 404. Two I/O threads and a few workers: scrapes and
 * health reads are rare and small.
 */
final class DebugServer implements AutoCloseable {
    static final String HEALTH_PATH = "/debug/health";

    private final Undertow server;
    private final InetSocketAddress address;

    private DebugServer(Undertow server) {
        this.server = server;
        this.address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    /** Starts listening; returns once bound. */
    static DebugServer start(ListenAddress listen, Map<String, HttpHandler> routes) {
        Map<String, HttpHandler> exact = Map.copyOf(routes);
        HttpHandler router = exchange -> {
            HttpHandler route = exact.get(exchange.getRequestPath());
            if (route != null) route.handleRequest(exchange);
            else notFound(exchange);
        };
        Undertow server = Undertow.builder()
                .addHttpListener(listen.port(), listen.bindAddress())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(router)
                .build();
        server.start();
        return new DebugServer(server);
    }

    private static void notFound(HttpServerExchange exchange) {
        exchange.setStatusCode(404);
        exchange.endExchange();
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:5001}. */
    String url() {
        String host = address.getAddress().getHostAddress();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    int port() {
        return address.getPort();
    }

    @Override
    public void close() {
        server.stop();
    }
}
