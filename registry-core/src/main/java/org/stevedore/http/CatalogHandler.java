package org.stevedore.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.stevedore.auth.Access;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.Action;
import org.stevedore.model.RepositoryName;
import org.stevedore.service.CatalogService;
import org.stevedore.service.Page;
import org.stevedore.service.PageRequest;

/** {@code GET /v2/_catalog}: {@code {"repositories":[…]}}, sorted and paged. */
final class CatalogHandler {
    /** Made on first use: building an ObjectMapper is a large part of a cold JVM's start. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private final CatalogService catalog;
    private final Optional<AccessController> accessController;

    CatalogHandler(CatalogService catalog, Optional<AccessController> accessController) {
        this.catalog = catalog;
        this.accessController = accessController;
    }

    void handle(HttpServerExchange exchange) throws IOException {
        PageRequest request = Pagination.request(exchange);
        Optional<String> user = Optional.ofNullable(exchange.getAttachment(RegistryHandler.USER));
        // Only what the caller may pull is listed: names alone can be confidential.
        Page page = accessController.isEmpty() ? catalog.list(request, name -> true)
                : catalog.list(request, name -> accessController.get().permits(user,
                        Access.repository(RepositoryName.of(name), Action.PULL)));
        Pagination.linkNext(exchange, "/v2/_catalog", request, page);
        TagHandler.sendJson(exchange, Json.MAPPER.writeValueAsBytes(Map.of("repositories", page.items())));
    }
}
