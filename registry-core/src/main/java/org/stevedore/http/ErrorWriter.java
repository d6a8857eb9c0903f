package org.stevedore.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stevedore.error.ErrorCode;
import org.stevedore.error.RegistryException;

/** Renders the spec's error body, {@code {"errors":[{"code","message","detail"}]}}, with its status. */
public final class ErrorWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorWriter() {
    }

    public static void write(HttpServerExchange exchange, RegistryException error) {
        write(exchange, error.code(), error.clientMessage(), error.detail().orElse(null));
    }

    public static void write(HttpServerExchange exchange, ErrorCode code, String detail) {
        write(exchange, code, code.message(), detail);
    }

    private static void write(HttpServerExchange exchange, ErrorCode code, String message, String detail) {
        if (!exchange.getConnection().isOpen()) return; // cut on purpose (see BlobSender): nothing to answer on
        if (exchange.isResponseStarted()) {
            // Headers already went out: all that is left is to cut the connection so the client
            // sees a failure rather than a short, seemingly complete body.
            exchange.setPersistent(false);
            exchange.endExchange();
            return;
        }
        if (!code.hasErrorBody()) {
            writePlain(exchange, code);
            return;
        }
        byte[] body = render(code, message, detail);
        exchange.setStatusCode(code.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** distribution's answer to a path it has no route for: {@code 404 page not found}, as plain text. */
    private static void writePlain(HttpServerExchange exchange, ErrorCode code) {
        byte[] body = (code.status() + " " + code.message() + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.setStatusCode(code.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    static byte[] render(ErrorCode code, String detail) {
        return render(code, code.message(), detail);
    }

    static byte[] render(ErrorCode code, String message, String detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.wireCode());
        error.put("message", message);
        if (detail != null) error.put("detail", detail);
        try {
            return JSON.writeValueAsBytes(Map.of("errors", List.of(error)));
        } catch (JsonProcessingException e) {
            return ("{\"errors\":[{\"code\":\"" + code.wireCode() + "\"}]}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
