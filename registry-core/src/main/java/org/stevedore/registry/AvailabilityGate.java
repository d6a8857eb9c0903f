package org.stevedore.registry;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;
import java.util.stream.Collectors;
import org.stevedore.error.ErrorCode;
import org.stevedore.http.ErrorWriter;

/**
 * Answers 503 {@code UNAVAILABLE} on {@code /} and {@code /v2...} while a health check fails
 * (distribution wraps its whole app in such a handler); other extra routes, such as a token
 * endpoint, are not the registry's API and stay up.
 */
final class AvailabilityGate implements HttpHandler {
    private final Availability availability;
    private final HttpHandler next;

    private AvailabilityGate(Availability availability, HttpHandler next) {
        this.availability = availability;
        this.next = next;
    }

    static HttpHandler around(Availability availability, HttpHandler next) {
        return availability == Availability.ALWAYS ? next : new AvailabilityGate(availability, next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        if (path.equals("/") || path.startsWith("/v2")) {
            Map<String, String> problems = availability.problems();
            if (!problems.isEmpty()) {
                String detail = problems.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                        .sorted().collect(Collectors.joining("; "));
                ErrorWriter.write(exchange, ErrorCode.UNAVAILABLE, detail);
                return;
            }
        }
        next.handleRequest(exchange);
    }
}
