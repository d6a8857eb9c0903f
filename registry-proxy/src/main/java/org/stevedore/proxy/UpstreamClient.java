package org.stevedore.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP to one upstream registry, pulls only: answers the upstream's challenge (Basic with the
 * configured credentials, or distribution's Bearer token flow through {@link TokenCache}), then
 * sends the cached credential up front on later requests. Follows redirects itself, so that the
 * {@code Authorization} header never goes to another host (a CDN a blob redirects to). Every
 * response body is an {@code InputStream} the caller closes. Thread-safe.
 */
final class UpstreamClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_REDIRECTS = 5;

    private final Upstream upstream;
    private final HttpClient http;
    private final TokenCache tokens;
    private final Optional<String> basic;
    /** Set once the upstream asked for Basic: later requests send it at once. */
    private volatile boolean basicAsked;

    UpstreamClient(Upstream upstream) {
        this.upstream = upstream;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.basic = upstream.username().map(user -> "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + upstream.password().orElse("")).getBytes(StandardCharsets.UTF_8)));
        this.tokens = new TokenCache(http, basic, upstream.readTimeout());
    }

    Upstream upstream() {
        return upstream;
    }

    /**
     * Sends {@code method} to {@code /v2/<remoteName>/<path>} with {@code accept}, authenticating
     * as the upstream asks. The caller closes the response body.
     */
    HttpResponse<InputStream> send(String method, String remoteName, String path, String accept) throws IOException {
        URI uri = URI.create(stripSlash(upstream.remoteUrl().toString()) + "/v2/" + remoteName + "/" + path);
        String scope = "repository:" + remoteName + ":pull";
        Optional<String> authorization = tokens.find(scope).map(token -> "Bearer " + token)
                .or(() -> basicAsked ? basic : Optional.empty());
        HttpResponse<InputStream> response = follow(method, uri, accept, authorization);
        if (response.statusCode() != 401) return response;
        Optional<Challenge> challenge = Challenge.parse(response.headers().firstValue("WWW-Authenticate").orElse(null));
        Optional<String> answer = challenge.flatMap(c -> answer(c, scope));
        if (answer.isEmpty()) return response; // nothing to answer with: the caller sees the 401
        response.body().close();
        return follow(method, uri, accept, answer);
    }

    private Optional<String> answer(Challenge challenge, String scope) {
        if (challenge.scheme().equals("basic")) {
            basicAsked = basic.isPresent();
            return basic;
        }
        if (!challenge.scheme().equals("bearer")) return Optional.empty();
        try {
            return tokens.fetch(challenge, scope).map(token -> "Bearer " + token);
        } catch (IOException e) {
            throw new UpstreamUnavailableException("token realm of " + upstream.remoteUrl() + ": " + e.getMessage());
        }
    }

    private HttpResponse<InputStream> follow(String method, URI uri, String accept, Optional<String> authorization)
            throws IOException {
        URI target = uri;
        Optional<String> credential = authorization;
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> response = exchange(method, target, accept, credential);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status < 300 || status >= 400 || status == 304 || location.isEmpty() || hop == MAX_REDIRECTS) {
                return response;
            }
            response.body().close();
            URI next = target.resolve(location.get());
            // Credentials are for the upstream only, never for the storage a blob redirects to.
            if (!Objects.equals(next.getHost(), uri.getHost()) || next.getPort() != uri.getPort()) {
                credential = Optional.empty();
            }
            target = next;
        }
    }

    private HttpResponse<InputStream> exchange(String method, URI uri, String accept, Optional<String> authorization)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(upstream.readTimeout()) // until the response headers arrive
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) request.header("Accept", accept);
        authorization.ifPresent(value -> request.header("Authorization", value));
        try {
            // Bodies are bounded too: each read waits at most the read timeout for a byte.
            return http.send(request.build(), info -> HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodySubscribers.ofInputStream(),
                    body -> new IdleTimeoutInputStream(body, upstream.readTimeout())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling the upstream");
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
