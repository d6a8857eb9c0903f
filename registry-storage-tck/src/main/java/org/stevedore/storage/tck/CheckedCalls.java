package org.stevedore.storage.tck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP calls to a registry whose storage fails now and then, each judged as it returns: a success,
 * a server error as the spec wants it (5xx with the OCI error JSON, and {@code Retry-After} on
 * 503), or a violation (any other answer, a 4xx the client did not cause, no answer within the
 * timeout). A broken connection counts as acceptable only where the caller allows it: a body whose
 * headers were already sent can end no other way.
 */
final class CheckedCalls {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong serverErrors = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    final AtomicLong cutConnections = new AtomicLong();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());

    CheckedCalls(URI base) {
        this.base = base;
    }

    /** Sends a request; empty when it failed acceptably (5xx, or a cut connection if allowed). */
    Optional<HttpResponse<byte[]>> send(HttpRequest.Builder request, boolean cutAllowed, int... expected) {
        HttpRequest built = request.timeout(TIMEOUT).build();
        String what = built.method() + " " + built.uri().getPath();
        requests.incrementAndGet();
        HttpResponse<byte[]> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            violations.add(what + ": no answer within " + TIMEOUT.toSeconds() + " s");
            return Optional.empty();
        } catch (IOException e) {
            if (cutAllowed) {
                cutConnections.incrementAndGet();
            } else {
                violations.add(what + ": connection failed: " + e);
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int status = response.statusCode();
        for (int ok : expected) if (status == ok) return Optional.of(response);
        if (status >= 500) {
            serverErrors.incrementAndGet();
            checkServerError(what, built.method(), response);
        } else {
            violations.add(what + ": unexpected " + status + " " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    private void checkServerError(String what, String method, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 503) {
            unavailable.incrementAndGet();
            if (response.headers().firstValue("Retry-After").isEmpty()) violations.add(what + ": 503 without Retry-After");
        }
        if (method.equals("HEAD")) return; // no body to carry the error
        try {
            JsonNode error = JSON.readTree(response.body()).path("errors").path(0);
            if (!error.path("code").isTextual() || !error.path("message").isTextual()) {
                violations.add(what + ": " + status + " without the OCI error JSON");
            }
        } catch (IOException e) {
            violations.add(what + ": " + status + " with a body that is not JSON");
        }
    }

    URI base() {
        return base;
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery));
    }

    /** A {@code Location} header resolved against the registry. */
    String location(HttpResponse<?> response) {
        String location = response.headers().firstValue("Location").orElseThrow();
        URI uri = base.resolve(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    static String withQuery(String location, String query) {
        return location + (location.contains("?") ? "&" : "?") + query;
    }
}
