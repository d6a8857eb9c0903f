package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** distribution's {@code http.headers}: extra headers on every answer, errors included. */
class ResponseHeadersTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void extraHeadersGoOnSuccessesAndErrors() throws Exception {
        Map<String, List<String>> headers = Map.of("X-Content-Type-Options", List.of("nosniff"),
                "X-Multi", List.of("a", "b"));
        try (Registry registry = Registry.builder().responseHeaders(headers).start()) {
            HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(registry.url().resolve("/v2/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals(List.of("nosniff"), ok.headers().allValues("X-Content-Type-Options"));
            assertEquals(List.of("a", "b"), ok.headers().allValues("X-Multi"));
            HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(
                    registry.url().resolve("/v2/demo/app/manifests/latest")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            assertEquals(List.of("nosniff"), missing.headers().allValues("X-Content-Type-Options"));
        }
    }

    @Test
    void refusesHeaderNamesAndValuesThatWouldBreakTheResponse() {
        RegistryBuilder builder = Registry.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.responseHeaders(Map.of("Bad Name", List.of("x"))));
        assertThrows(IllegalArgumentException.class, () -> builder.responseHeaders(Map.of("X-A", List.of("a\r\nB: c"))));
    }
}
