package org.stevedore.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens from an upstream's token realm (distribution's token authentication: {@code GET
 * <realm>?service=...&scope=...} with Basic credentials, or anonymously without), one per scope,
 * kept until shortly before they expire. Thread-safe; two threads may fetch the same token at
 * once, which is harmless.
 */
final class TokenCache {
    /** The token spec's default when the realm does not say. */
    private static final long DEFAULT_EXPIRES_SECONDS = 60;
    private static final int MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
    /** Scopes are one per upstream repository; past this many, start over rather than grow. */
    private static final int MAX_ENTRIES = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Token(String value, Instant expiry) {
    }

    private final HttpClient http;
    private final Optional<String> basic;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();
    private final ConcurrentHashMap<String, Token> tokens = new ConcurrentHashMap<>();

    TokenCache(HttpClient http, Optional<String> basic, Duration timeout) {
        this.http = http;
        this.basic = basic;
        this.timeout = timeout;
    }

    /** A cached, unexpired token for {@code scope}. */
    Optional<String> find(String scope) {
        Token token = tokens.get(scope);
        if (token == null) return Optional.empty();
        if (!clock.instant().isBefore(token.expiry())) {
            tokens.remove(scope, token);
            return Optional.empty();
        }
        return Optional.of(token.value());
    }

    /**
     * Fetches a token answering {@code challenge} (its own scope when it names one, else
     * {@code scope}) and caches it under {@code scope}; empty when the realm refuses.
     */
    Optional<String> fetch(Challenge challenge, String scope) throws IOException {
        Optional<String> realm = challenge.parameter("realm");
        if (realm.isEmpty()) return Optional.empty();
        StringBuilder url = new StringBuilder(realm.get());
        char separator = realm.get().contains("?") ? '&' : '?';
        for (var parameter : new String[][] {{"service", challenge.parameter("service").orElse(null)},
                {"scope", challenge.parameter("scope").orElse(scope)}}) {
            if (parameter[1] == null) continue;
            url.append(separator).append(parameter[0]).append('=')
                    .append(URLEncoder.encode(parameter[1], StandardCharsets.UTF_8));
            separator = '&';
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString())).timeout(timeout).GET();
        basic.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching a token");
        } catch (IllegalArgumentException badRealm) {
            throw new IOException("unusable token realm " + realm.get());
        }
        JsonNode body;
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) return Optional.empty();
            byte[] bytes = in.readNBytes(MAX_TOKEN_RESPONSE_BYTES);
            body = JSON.readTree(bytes);
        }
        String token = body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) return Optional.empty();
        long expiresIn = body.path("expires_in").asLong(DEFAULT_EXPIRES_SECONDS);
        if (expiresIn <= 0) expiresIn = DEFAULT_EXPIRES_SECONDS;
        // Renew a little early, so a token does not expire between being read here and used upstream.
        long margin = Math.min(10, expiresIn / 4);
        if (tokens.size() >= MAX_ENTRIES) tokens.clear();
        tokens.put(scope, new Token(token, clock.instant().plusSeconds(expiresIn - margin)));
        return Optional.of(token);
    }
}
