package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stevedore.auth.Challenge;
import org.stevedore.auth.Decision;

/** Extra routes (such as a built-in token endpoint) are served by exact path, outside access control. */
class ExtraRouteTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private int status(Registry registry, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(registry.url().resolve(path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void exactPathIsServedBeforeTheApiAndItsAccessController() throws Exception {
        try (Registry registry = Registry.builder()
                .accessController((credentials, needed) -> new Decision.Unauthenticated(
                        new Challenge("Basic", Map.of("realm", "r")), "nobody gets in"))
                .extraRoute("/token", exchange -> exchange.getResponseSender().send("token here"))
                .start()) {
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(registry.url().resolve("/token?scope=x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode());
            assertEquals("token here", token.body());
            assertEquals(401, status(registry, "/v2/"));
            assertEquals(401, status(registry, "/token/more"), "only the exact path is an extra route");
        }
    }

    @Test
    void routesUnderV2AreRefused() {
        RegistryBuilder builder = Registry.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.extraRoute("/v2/token", exchange -> { }));
        assertThrows(IllegalArgumentException.class, () -> builder.extraRoute("token", exchange -> { }));
    }
}
