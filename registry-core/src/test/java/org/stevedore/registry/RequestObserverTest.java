package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.stevedore.http.CompletedRequest;

/** Observers added to the builder see every API request with its client details, and a failing one harms nothing. */
class RequestObserverTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void observersSeeRequestsWithClientDetailsEvenWhenAnEarlierOneFails() throws Exception {
        List<CompletedRequest> seen = new CopyOnWriteArrayList<>();
        try (Registry registry = Registry.builder()
                .requestObserver(request -> {
                    throw new IllegalStateException("a broken observer");
                })
                .requestObserver(seen::add)
                .start()) {
            HttpResponse<String> first = get(registry, "/v2/", "observer-test/1");
            HttpResponse<String> second = get(registry, "/v2/missing/manifests/latest", "observer-test/2");

            assertEquals(200, first.statusCode());
            assertEquals(404, second.statusCode());
            assertEquals(2, seen.size());
            CompletedRequest manifest = seen.get(1);
            assertEquals("/v2/missing/manifests/latest", manifest.path());
            assertEquals(404, manifest.status());
            assertEquals("observer-test/2", manifest.client().userAgent());
            assertEquals(registry.hostPort(), manifest.client().host());
            assertFalse(manifest.client().requestId().isEmpty());
            assertNotEquals(seen.get(0).client().requestId(), manifest.client().requestId());
            assertFalse(manifest.client().remoteAddress().isEmpty());
        }
    }

    private HttpResponse<String> get(Registry registry, String path, String userAgent) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("User-Agent", userAgent).build(), HttpResponse.BodyHandlers.ofString());
    }
}
