package org.stevedore.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.Map;
import org.stevedore.service.CatalogService;
import org.stevedore.service.Page;
import org.stevedore.service.PageRequest;

/** {@code GET /v2/_catalog}: {@code {"repositories":[…]}}, sorted and paged. */
final class CatalogHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CatalogService catalog;

    CatalogHandler(CatalogService catalog) {
        this.catalog = catalog;
    }

    void handle(HttpServerExchange exchange) throws IOException {
        PageRequest request = Pagination.request(exchange);
        Page page = catalog.list(request);
        Pagination.linkNext(exchange, "/v2/_catalog", request, page);
        TagHandler.sendJson(exchange, JSON.writeValueAsBytes(Map.of("repositories", page.items())));
    }
}
