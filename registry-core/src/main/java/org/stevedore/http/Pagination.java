package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.stevedore.service.Page;
import org.stevedore.service.PageRequest;

/** Reads {@code n} and {@code last}; writes the {@code Link: <…>; rel="next"} header of a page. */
final class Pagination {
    private Pagination() {
    }

    static PageRequest request(HttpServerExchange exchange) {
        return PageRequest.parse(UploadHandler.query(exchange, "n"), UploadHandler.query(exchange, "last"));
    }

    static void linkNext(HttpServerExchange exchange, String path, PageRequest request, Page page) {
        Optional<String> next = page.next();
        if (next.isEmpty()) return;
        StringBuilder link = new StringBuilder("<").append(path).append("?last=")
                .append(URLEncoder.encode(next.get(), StandardCharsets.UTF_8));
        if (request.n().isPresent()) link.append("&n=").append(request.n().getAsInt());
        link.append(">; rel=\"next\"");
        exchange.getResponseHeaders().put(ApiHeaders.LINK, link.toString());
    }
}
