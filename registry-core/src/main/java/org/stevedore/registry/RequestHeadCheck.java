package org.stevedore.registry;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import org.stevedore.error.ErrorCode;
import org.stevedore.http.ErrorWriter;

/**
 * The registry's own checks of the request head, made before any other handler so that a
 * malformed or oversize head gets the OCI error JSON instead of Undertow's bare 400.
 *
 * <p>Undertow refuses a head it cannot parse, or one over its own limits, inside its
 * {@code HttpReadListener} before any handler exists, with a fixed empty 400. So the server runs
 * Undertow with looser limits ({@link #undertowHeadBytes}, {@link #UNDERTOW_MAX_COUNT}) and this
 * handler applies the configured ones:
 * <ul>
 *   <li>a request target over the head limit: 414 {@code URI_TOO_LONG};</li>
 *   <li>a head over the limit, or more than {@link #MAX_HEADERS} fields: 431 {@code HEADERS_TOO_LARGE};</li>
 *   <li>more than {@link #MAX_PARAMETERS} query parameters: 400 {@code REQUEST_INVALID}.</li>
 * </ul>
 * What Undertow's parser refuses whatever the options (a malformed request line or field, invalid
 * percent-encoding, conflicting framing, more than 127 fields of one name) still gets its bare
 * 400 and a closed connection.
 * Each refusal closes the connection after the answer: the body, if any, is not read.
 */
final class RequestHeadCheck implements HttpHandler {
    /** Header fields the registry accepts; no client sends more than a few dozen. */
    static final int MAX_HEADERS = 100;
    /** Query parameters the registry accepts; its routes use at most three. */
    static final int MAX_PARAMETERS = 100;
    /** Undertow's own field and parameter count, beyond which it answers its bare 400. */
    static final int UNDERTOW_MAX_COUNT = 1000;

    private final int maxHeadBytes;
    private final HttpHandler next;

    RequestHeadCheck(int maxHeadBytes, HttpHandler next) {
        this.maxHeadBytes = maxHeadBytes;
        this.next = next;
    }

    /**
     * The head size Undertow itself is given: twice the configured limit, so that heads up to
     * twice the limit reach this handler and get a 431 with the error JSON; only beyond that does
     * Undertow cut them with its bare 400 (the memory bound stays proportional to the limit).
     */
    static int undertowHeadBytes(int maxHeadBytes) {
        return (int) Math.min(Integer.MAX_VALUE, 2L * maxHeadBytes);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String target = exchange.getRequestURI()
                + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString());
        if (target.length() > maxHeadBytes) {
            refuse(exchange, ErrorCode.URI_TOO_LONG, "request target over " + maxHeadBytes + " bytes");
        } else if (fieldCount(exchange) > MAX_HEADERS) {
            refuse(exchange, ErrorCode.HEADERS_TOO_LARGE, "more than " + MAX_HEADERS + " header fields");
        } else if (headBytes(exchange, target) > maxHeadBytes) {
            refuse(exchange, ErrorCode.HEADERS_TOO_LARGE, "request head over " + maxHeadBytes + " bytes");
        } else if (parameterCount(exchange) > MAX_PARAMETERS) {
            refuse(exchange, ErrorCode.REQUEST_INVALID, "more than " + MAX_PARAMETERS + " query parameters");
        } else {
            next.handleRequest(exchange);
        }
    }

    private static void refuse(HttpServerExchange exchange, ErrorCode code, String detail) {
        exchange.setPersistent(false);
        ErrorWriter.write(exchange, code, detail);
    }

    /** The head's size as sent, near enough: request line, each field line and the blank line. */
    private static long headBytes(HttpServerExchange exchange, String target) {
        long bytes = exchange.getRequestMethod().length() + 1 + target.length() + 1
                + exchange.getProtocol().length() + 2 + 2;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            int name = values.getHeaderName().length();
            for (String value : values) bytes += name + 2 + value.length() + 2;
        }
        return bytes;
    }

    private static int fieldCount(HttpServerExchange exchange) {
        int count = 0;
        for (HeaderValues values : exchange.getRequestHeaders()) count += values.size();
        return count;
    }

    private static int parameterCount(HttpServerExchange exchange) {
        int count = 0;
        for (var values : exchange.getQueryParameters().values()) count += values.size();
        return count;
    }
}
