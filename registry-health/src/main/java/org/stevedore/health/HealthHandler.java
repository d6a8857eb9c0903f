package org.stevedore.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.util.Map;
import org.stevedore.registry.Availability;

/**
 * {@code GET /debug/health} as distribution answers it: a JSON map of failing check names to
 * their errors, 200 with {@code {}} when healthy, 503 otherwise. Other methods get 404, as there.
 */
public final class HealthHandler implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Availability checks;

    public HealthHandler(Availability checks) {
        this.checks = checks;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            exchange.setStatusCode(404);
            exchange.endExchange();
            return;
        }
        Map<String, String> problems = checks.problems();
        byte[] body = JSON.writeValueAsBytes(problems);
        exchange.setStatusCode(problems.isEmpty() ? 200 : 503);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
