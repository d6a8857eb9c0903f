package org.stevedore.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Requests to one registry with its authentication: Basic when the registry asks for it, else
 * bearer tokens fetched from the challenge's realm per scope (with the credentials, if any), and
 * retries of rate-limited, failed-gateway and broken-connection requests.
 */
final class RegistryApi {
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final Optional<Credentials> credentials;
    private final Retry retry;
    private final Map<String, String> authorizationByScope = new ConcurrentHashMap<>();

    /**
     * A verified HTTPS registry (with {@code verified}'s trust and client certificate, else the
     * JDK's); or, {@code insecure}, docker's rule for insecure and loopback registries: HTTPS
     * whatever its certificate if the registry speaks it, else plain HTTP.
     */
    RegistryApi(String host, boolean insecure, Optional<SSLContext> verified, Optional<Credentials> credentials,
                Retry retry) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30));
        if (insecure) builder.sslContext(InsecureTls.context());
        else verified.ifPresent(builder::sslContext);
        this.http = builder.build();
        this.base = URI.create((insecure && !speaksHttps(http, host) ? "http://" : "https://") + host);
        this.credentials = credentials;
        this.retry = retry;
    }

    private static boolean speaksHttps(HttpClient http, String host) {
        HttpRequest probe = HttpRequest.newBuilder(URI.create("https://" + host + "/v2/")).timeout(Duration.ofSeconds(10))
                .GET().build();
        try {
            http.send(probe, HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false; // a plain HTTP port fails the handshake
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    URI resolve(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    /**
     * Sends the request {@code build} makes (called again for each try), authenticated for
     * {@code scope}; retries what {@link Retry} says is worth it, with {@code retryBodies} only
     * when the request can be sent again.
     */
    <T> HttpResponse<T> send(Function<HttpRequest.Builder, HttpRequest> build, HttpResponse.BodyHandler<T> body,
                             String scope) throws IOException {
        return send(build, body, scope, true);
    }

    /** With {@code repeatable} false (a streamed body), the request is sent once: no retry, no re-authentication. */
    <T> HttpResponse<T> send(Function<HttpRequest.Builder, HttpRequest> build, HttpResponse.BodyHandler<T> body,
                             String scope, boolean repeatable) throws IOException {
        boolean authenticated = !repeatable;
        int attempts = repeatable ? retry.attempts() : 1;
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofMinutes(10));
            String authorization = authorizationByScope.get(scope);
            if (authorization != null) request.header("Authorization", authorization);
            HttpResponse<T> response;
            try {
                response = http.send(build.apply(request), body);
            } catch (IOException e) {
                if (attempt >= attempts) throw e;
                Retry.sleep(retry.pause(attempt, Optional.empty()));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
            if (response.statusCode() == 401 && !authenticated) {
                discard(response);
                authenticated = true;
                authenticate(response, scope);
                attempt--; // the challenge is not a failure
                continue;
            }
            if (Retry.retryable(response.statusCode()) && attempt < attempts) {
                discard(response);
                Retry.sleep(retry.pause(attempt, Optional.of(response)));
                continue;
            }
            return response;
        }
    }

    private void authenticate(HttpResponse<?> challenge, String scope) throws IOException {
        String header = challenge.headers().firstValue("WWW-Authenticate").orElse("");
        if (header.regionMatches(true, 0, "Basic", 0, 5)) {
            Credentials basic = credentials.orElseThrow(() -> new CopyException(base + " wants credentials; none given"));
            authorizationByScope.put(scope, basic.basicHeader());
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer", 0, 6)) throw new CopyException(base + " answered 401 without a challenge");
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = PARAMETER.matcher(header);
        while (matcher.find()) parameters.put(matcher.group(1), matcher.group(2));
        String realm = parameters.get("realm");
        if (realm == null) throw new CopyException(base + " sent a bearer challenge without a realm");
        StringBuilder query = new StringBuilder();
        if (parameters.containsKey("service")) query.append("service=").append(encode(parameters.get("service")));
        for (String one : scope.split(" ")) {
            if (!one.isEmpty()) query.append(query.length() > 0 ? "&" : "").append("scope=").append(encode(one));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(realm + (realm.contains("?") ? "&" : "?") + query))
                .timeout(Duration.ofSeconds(60));
        credentials.ifPresent(c -> request.header("Authorization", c.basicHeader()));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        if (response.statusCode() != 200) {
            throw new CopyException("token server " + realm + " answered " + response.statusCode());
        }
        JsonNode token = JSON.readTree(response.body());
        String value = token.path("token").asText(token.path("access_token").asText(""));
        if (value.isEmpty()) throw new CopyException("token server " + realm + " sent no token");
        authorizationByScope.put(scope, "Bearer " + value);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void discard(HttpResponse<?> response) throws IOException {
        if (response.body() instanceof java.io.InputStream stream) stream.close();
    }
}
