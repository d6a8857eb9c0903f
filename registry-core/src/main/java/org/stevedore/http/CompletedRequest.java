package org.stevedore.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * What a {@link RequestObserver} learns about one request when its response is committed: the
 * parsed route (empty when the path was not an API route), method, status, the
 * {@code Docker-Content-Digest} answered, the user, and the mount and digest query parameters.
 *
 * @param user the authenticated user; for a refused request, the user name the client claimed in
 *             a Basic {@code Authorization} header (never the password), if any
 */
public record CompletedRequest(Optional<V2Route> route, String method, String path, int status,
                               Optional<String> contentDigest, Optional<String> user,
                               Optional<String> mountParameter, Optional<String> digestParameter) {

    static CompletedRequest of(HttpServerExchange exchange, V2Route route, String user) {
        return new CompletedRequest(Optional.ofNullable(route), exchange.getRequestMethod().toString(),
                exchange.getRequestPath(), exchange.getStatusCode(),
                Optional.ofNullable(exchange.getResponseHeaders().getFirst(ApiHeaders.CONTENT_DIGEST)),
                user != null ? Optional.of(user) : claimedUser(exchange),
                UploadHandler.query(exchange, "mount"), UploadHandler.query(exchange, "digest"));
    }

    /** The user name of a Basic header; nothing else of the header is read. */
    private static Optional<String> claimedUser(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon > 0 ? Optional.of(decoded.substring(0, colon)) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
