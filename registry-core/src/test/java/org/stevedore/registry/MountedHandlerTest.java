package org.stevedore.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.stevedore.auth.AccessController;
import org.stevedore.auth.Challenge;
import org.stevedore.auth.Decision;
import org.stevedore.error.RegistryException;
import org.stevedore.http.CompletedRequest;
import org.stevedore.http.V2Route;
import org.stevedore.model.RepositoryName;
import org.stevedore.model.Tag;

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

    @Test
    void aDeletionThroughTheMountContextIsObservedAsADeleteOverV2() throws Exception {
        List<CompletedRequest> observed = new CopyOnWriteArrayList<>();
        AtomicReference<MountContext> given = new AtomicReference<>();
        try (Registry registry = Registry.builder().requestObserver(observed::add)
                .mount("/pages/", context -> {
                    given.set(context);
                    return exchange -> exchange.getResponseSender().send("page");
                }).start()) {
            registry.fixtures().pushImage("team/app", "v1", 10);
            registry.events().clear();
            observed.clear();
            CompletedRequest.ClientInfo client = new CompletedRequest.ClientInfo("", "/127.0.0.1:5555", "host:1", "browser");
            String id = given.get().deleter().delete(RepositoryName.of("team/app"), Tag.of("v1"), Optional.of("alice"), client);

            RegistryEvent event = registry.events().ofType(RegistryEvent.Type.DELETE).get(0);
            assertEquals(Optional.of("team/app"), event.repository());
            assertEquals(Optional.of("v1"), event.reference());
            assertEquals(Optional.of("alice"), event.user());
            assertEquals("/v2/team/app/manifests/v1", event.path());
            assertEquals(202, event.status());
            CompletedRequest request = observed.get(0);
            assertEquals(new V2Route.Manifest(RepositoryName.of("team/app"), Tag.of("v1")), request.route().orElseThrow());
            assertEquals("DELETE", request.method());
            assertEquals(id, request.client().requestId());
            assertEquals("browser", request.client().userAgent());
            assertEquals(404, http.send(HttpRequest.newBuilder(registry.url().resolve("/v2/team/app/manifests/v1")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "the tag is gone");

            RegistryException unknown = assertThrows(RegistryException.class, () -> given.get().deleter()
                    .delete(RepositoryName.of("team/app"), Tag.of("v1"), Optional.of("alice"), client));
            assertEquals(404, unknown.code().status());
            assertEquals(404, observed.get(observed.size() - 1).status(), "a refusal is observed as the API answers it");
        }
    }
}
