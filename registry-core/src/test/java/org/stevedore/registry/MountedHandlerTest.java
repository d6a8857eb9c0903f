package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.Challenge;
import org.stevedore.auth.Decision;

/** A mounted prefix (such as the web UI's /ui/) gets every path under it, with the registry's services and rules. */
class MountedHandlerTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(Registry registry, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(registry.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyPathUnderThePrefixGoesToTheMountedHandlerMadeWithTheRegistrysServices() throws Exception {
        AccessController nobody = (credentials, needed) -> new Decision.Unauthenticated(
                new Challenge("Basic", Map.of("realm", "r")), "nobody gets in");
        AtomicReference<MountContext> given = new AtomicReference<>();
        try (Registry registry = Registry.builder().accessController(nobody).deleteEnabled(false)
                .mount("/pages/", context -> {
                    given.set(context);
                    return exchange -> exchange.getResponseSender().send("page " + exchange.getRequestPath());
                }).start()) {
            assertSame(registry.service(), given.get().service());
            assertSame(nobody, given.get().accessController().orElseThrow());
            assertTrue(!given.get().deleteEnabled() && !given.get().readOnly() && !given.get().tls());
            assertEquals("page /pages/a/b", get(registry, "/pages/a/b").body());
            assertEquals("page /pages", get(registry, "/pages").body(), "the prefix without its slash too");
            assertEquals(401, get(registry, "/pagesx").statusCode(), "not a path under the prefix");
            assertEquals(401, get(registry, "/v2/").statusCode(), "the API keeps its access control");
        }
    }

    @Test
    void prefixesMustBeNamedDirectoriesOutsideV2() {
        for (String prefix : new String[] {"/", "ui/", "/ui", "/v2/", "/v2/ui/"}) {
            assertThrows(IllegalArgumentException.class, () -> Registry.builder().mount(prefix, c -> e -> { }), prefix);
        }
    }
}
