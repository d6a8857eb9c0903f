package org.stevedore.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The Prometheus text format (version 0.0.4) of one registry's metrics, written by the client
 * library. Collecting reads JVM MX beans, so it runs on a worker thread.
 */
final class ScrapeHandler implements HttpHandler {
    private final PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = ExpositionFormats.init().getPrometheusTextFormatWriter();

    ScrapeHandler(PrometheusRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
        if (!head && !exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.setStatusCode(405);
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            exchange.endExchange();
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        writer.write(body, registry.scrape());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, writer.getContentType());
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.size());
        if (head) exchange.endExchange();
        else exchange.getResponseSender().send(ByteBuffer.wrap(body.toByteArray()));
    }
}
