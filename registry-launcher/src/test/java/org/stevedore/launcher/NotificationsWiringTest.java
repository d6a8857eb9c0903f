package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import picocli.CommandLine;

/** {@code stevedore serve} with {@code notifications.endpoints}: events reach the endpoint, and close stops the senders. */
class NotificationsWiringTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void configuredEndpointGetsEventsAndStopsWithTheRegistry() throws Exception {
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.createContext("/", exchange -> {
            bodies.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        List<Registry> started = new ArrayList<>();
        try {
            Path config = Files.writeString(temp.resolve("config.yml"), "version: 0.1\nstorage:\n  inmemory:\n"
                    + "notifications:\n  endpoints:\n    - name: hook\n      url: http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/events\n");
            RegistryServer server = new RegistryServer(AuthFactory.UNAVAILABLE, S3StorageFactory.UNAVAILABLE);
            CommandLine commandLine = Main.commandLine((options, printer) -> {
                started.add(server.start(options, printer).registry());
                return 0;
            }, Map.of());
            StringWriter err = new StringWriter();
            commandLine.setOut(new PrintWriter(new StringWriter(), true));
            commandLine.setErr(new PrintWriter(err, true));
            assertEquals(0, commandLine.execute("serve", config.toString(), "--addr", "127.0.0.1:0"), err.toString());
            assertTrue(err.toString().isEmpty(), "no warnings: " + err);
            Registry registry = started.get(0);

            byte[] blob = {1, 2, 3};
            String digest = "sha256:039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81";
            HttpResponse<String> push = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    registry.url().resolve("/v2/team/app/blobs/uploads/?digest=" + digest))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, push.statusCode(), push.body());

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (bodies.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
            JsonNode event = JSON.readTree(bodies.get(0)).path("events").get(0);
            assertEquals("push", event.path("action").asText());
            assertEquals(digest, event.at("/target/digest").asText());
            assertEquals(3, event.at("/target/size").asInt());
            assertEquals(URI.create(registry.url() + "/v2/team/app/blobs/" + digest).toString(),
                    event.at("/target/url").asText());
            assertTrue(event.at("/source/addr").asText().endsWith(":" + registry.port()), "the bound port: " + event);

            registry.close();
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.isAlive() && t.getName().startsWith("stevedore-notify-")),
                    "the notifier's threads end with the registry");
        } finally {
            started.forEach(Registry::close);
            receiver.stop(0);
        }
    }
}
