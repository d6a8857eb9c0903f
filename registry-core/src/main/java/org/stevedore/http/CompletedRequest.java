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
 * @param client who sent the request and how: request id, remote address, host, user agent
 * @param fromParameter the {@code from} query parameter (the source repository of a mount), if any
 */
public record CompletedRequest(Optional<V2Route> route, String method, String path, int status,
                               Optional<String> contentDigest, Optional<String> user,
                               Optional<String> mountParameter, Optional<String> digestParameter,
                               ClientInfo client, Optional<String> fromParameter) {

    /**
     * Where a request came from, for logs and notifications.
     *
     * @param requestId the id the registry gave the request (also in its log lines and error messages)
     * @param remoteAddress the peer's {@code host:port}
     * @param host the {@code Host} header, empty string when absent
     * @param userAgent the {@code User-Agent} header, empty string when absent
     */
    public record ClientInfo(String requestId, String remoteAddress, String host, String userAgent) {
        /** For requests built by hand (tests): no id, no address. */
        public static final ClientInfo UNKNOWN = new ClientInfo("", "", "", "");
    }

    /** A request without the {@code from} parameter. */
    public CompletedRequest(Optional<V2Route> route, String method, String path, int status,
                            Optional<String> contentDigest, Optional<String> user,
                            Optional<String> mountParameter, Optional<String> digestParameter, ClientInfo client) {
        this(route, method, path, status, contentDigest, user, mountParameter, digestParameter, client,
                Optional.empty());
    }

    /** A request without client details (for tests and synthetic requests). */
    public CompletedRequest(Optional<V2Route> route, String method, String path, int status,
                            Optional<String> contentDigest, Optional<String> user,
                            Optional<String> mountParameter, Optional<String> digestParameter) {
        this(route, method, path, status, contentDigest, user, mountParameter, digestParameter, ClientInfo.UNKNOWN);
    }

    static CompletedRequest of(HttpServerExchange exchange, V2Route route, String user, String requestId) {
        return new CompletedRequest(Optional.ofNullable(route), exchange.getRequestMethod().toString(),
                exchange.getRequestPath(), exchange.getStatusCode(),
                Optional.ofNullable(exchange.getResponseHeaders().getFirst(ApiHeaders.CONTENT_DIGEST)),
                user != null ? Optional.of(user) : claimedUser(exchange),
                UploadHandler.query(exchange, "mount"), UploadHandler.query(exchange, "digest"),
                new ClientInfo(requestId, String.valueOf(exchange.getSourceAddress()),
                        headerOrEmpty(exchange, Headers.HOST), headerOrEmpty(exchange, Headers.USER_AGENT)),
                UploadHandler.query(exchange, "from"));
    }

    private static String headerOrEmpty(HttpServerExchange exchange, io.undertow.util.HttpString name) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? "" : value;
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
