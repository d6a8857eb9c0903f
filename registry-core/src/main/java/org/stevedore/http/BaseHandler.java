package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** {@code GET /v2/}: 200 with an empty JSON object tells clients this is a v2 registry. */
final class BaseHandler {
    void handle(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 2);
        exchange.getResponseSender().send("{}");
    }
}
