package org.stevedore.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stevedore.notifications.EndpointSettings;
import org.stevedore.notifications.Notifier;
import org.stevedore.notifications.NotifierSettings;
import org.stevedore.registry.Registry;
import org.stevedore.registry.RegistryEvent;

/**
 * A tag deleted in the UI reaches whoever watches the API as a {@code DELETE /v2/…} does: the
 * event journal and a notification endpoint (a real HTTP listener fed by the notifications module).
 */
class UiDeletionObservedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTagDeletedInTheUiIsAnEventAndANotification() throws Exception {
        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/events", exchange -> {
            JsonNode envelope = JSON.readTree(exchange.getRequestBody().readAllBytes());
            for (JsonNode event : envelope.path("events")) received.add(event);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        endpoint.start();
        URI url = URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/events");
        try (Notifier notifier = Notifier.start(NotifierSettings.of(List.of(EndpointSettings.of("watcher", url))));
             Registry registry = Registry.builder().deleteEnabled(true).requestObserver(notifier)
                     .mount(WebUi.PREFIX, WebUi.defaults()).start()) {
            notifier.attach(registry);
            Pusher pusher = new Pusher(registry.url(), Optional.empty());
            pusher.image("team/watched", "doomed", "linux", "amd64", Map.of(), 1);
            pusher.image("team/watched", "stays", "linux", "amd64", Map.of(), 1);
            registry.events().clear();
            received.clear();

            UiClient browser = new UiClient(registry.url());
            String token = UiClient.csrfOf(browser.get("/ui/delete?repository=team/watched&reference=doomed").body());
            HttpResponse<String> deleted = browser.post("/ui/delete",
                    Map.of("csrf", token, "repository", "team/watched", "reference", "doomed"), Map.of());
            assertEquals(303, deleted.statusCode(), deleted.body());

            List<RegistryEvent> deletions = registry.events().ofType(RegistryEvent.Type.DELETE);
            assertEquals(1, deletions.size(), registry.events().all().toString());
            assertEquals(Optional.of("team/watched"), deletions.get(0).repository());
            assertEquals(Optional.of("doomed"), deletions.get(0).reference());
            assertEquals("/v2/team/watched/manifests/doomed", deletions.get(0).path());
            assertEquals(202, deletions.get(0).status());

            JsonNode event = awaitDelete(received, Duration.ofSeconds(20));
            assertEquals("team/watched", event.path("target").path("repository").asText(), event.toString());
            assertEquals("doomed", event.path("target").path("tag").asText(), event.toString());
            assertTrue(event.path("request").path("id").asText().length() > 0, event.toString());
        } finally {
            endpoint.stop(0);
        }
    }

    private static JsonNode awaitDelete(BlockingQueue<JsonNode> received, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode event = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) throw new AssertionError("no delete notification within " + timeout);
            if (event.path("action").asText().equals("delete")) return event;
        }
    }
}
