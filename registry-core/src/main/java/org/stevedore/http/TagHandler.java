package org.stevedore.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stevedore.service.ContentSource;
import org.stevedore.service.Page;
import org.stevedore.service.PageRequest;
import org.stevedore.service.TagService;

/** {@code GET /v2/<name>/tags/list}: {@code {"name":…,"tags":[…]}}, paged. */
final class TagHandler {
    /** Made on first use: building an ObjectMapper is a large part of a cold JVM's start. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private final TagService tags;
    private final ContentSource source;

    TagHandler(TagService tags, ContentSource source) {
        this.tags = tags;
        this.source = source;
    }

    void handle(HttpServerExchange exchange, V2Route.Tags route) throws IOException {
        PageRequest request = Pagination.request(exchange);
        Optional<List<String>> upstream = source.covers(route.name())
                ? source.listTags(route.name()) : Optional.empty();
        Page page = upstream.isPresent() ? tags.page(upstream.get(), request) : tags.list(route.name(), request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", route.name().value());
        body.put("tags", page.items());
        Pagination.linkNext(exchange, "/v2/" + route.name() + "/tags/list", request, page);
        sendJson(exchange, Json.MAPPER.writeValueAsBytes(body));
    }

    static void sendJson(HttpServerExchange exchange, byte[] body) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
