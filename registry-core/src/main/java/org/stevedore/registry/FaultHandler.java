package org.stevedore.registry;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.xnio.IoUtils;

/**
 * Applies {@link Faults} in front of routing. Without rules it only forwards; with rules it
 * moves to a worker thread first, since a delay blocks. Body faults wrap the request and response
 * conduits before the registry handles the request.
 */
final class FaultHandler implements HttpHandler {
    private static final HttpString API_VERSION = new HttpString("Docker-Distribution-API-Version");

    private final Faults faults;
    private final HttpHandler next;

    FaultHandler(Faults faults, HttpHandler next) {
        this.faults = faults;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (faults.isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        Optional<Faults.Rule> rule = faults.take(exchange.getRequestMethod().toString(), exchange.getRequestPath());
        if (rule.isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        Faults.Rule fault = rule.get();
        switch (fault.kind) {
            case DELAY -> {
                Thread.sleep(fault.duration.toMillis());
                next.handleRequest(exchange);
            }
            case DISCONNECT -> IoUtils.safeClose(exchange.getConnection());
            case THROTTLE -> {
                exchange.addRequestWrapper((factory, ex) -> new FaultSource(factory.create(), fault.amount));
                exchange.addResponseWrapper((factory, ex) -> FaultSink.throttled(factory.create(), ex, fault.amount));
                next.handleRequest(exchange);
            }
            case TRUNCATE -> {
                exchange.addResponseWrapper((factory, ex) -> FaultSink.truncated(factory.create(), ex, fault.amount));
                next.handleRequest(exchange);
            }
            case EXPIRE_TOKENS -> {
                faults.expireTokens();
                next.handleRequest(exchange);
            }
            case CORRUPT -> {
                exchange.addResponseWrapper((factory, ex) -> FaultSink.corrupted(factory.create(), ex));
                next.handleRequest(exchange);
            }
            default -> fail(exchange, fault.status, fault.duration);
        }
    }

    private static void fail(HttpServerExchange exchange, int status, java.time.Duration retryAfter) {
        String code = status == 401 ? "UNAUTHORIZED" : status == 403 ? "DENIED" : status == 429 ? "TOOMANYREQUESTS"
                : status == 503 ? "UNAVAILABLE" : status >= 500 ? "UNKNOWN" : "UNSUPPORTED";
        byte[] body = ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"injected fault\","
                + "\"detail\":\"fault injected by the test for status " + status + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        // A body the client may not have sent in full: do not reuse the connection.
        exchange.setPersistent(false);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(API_VERSION, "registry/2.0");
        if (status == 429) {
            long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, seconds);
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
