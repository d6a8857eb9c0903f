package org.stevedore.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.fs.FilesystemDriver;

/** Checks gate a running registry over HTTP: /v2/ and / answer 503 while one fails, then recover. */
class HealthChecksTest {
    private static final Duration FAST = Duration.ofMillis(50);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void unwritableStorageMakesRegistryUnavailableUntilRepaired() throws Exception {
        Path root = Files.createDirectories(temp.resolve("storage"));
        StorageDriver driver = FilesystemDriver.at(root);
        try (HealthChecks checks = new HealthChecks().add(StorageDriverCheck.name(driver), new StorageDriverCheck(driver), FAST, 0);
             Registry registry = Registry.builder().storage(driver).availability(checks)
                     .extraRoute("/debug/health", new HealthHandler(checks)).start()) {
            checks.start();
            awaitStatus(registry, "/v2/", 200);
            assertEquals("{}", get(registry, "/debug/health").body());

            // Works as root too, where permissions would not stop writes: the directory is gone
            // and a plain file sits in its place.
            Path moved = temp.resolve("storage.moved");
            Files.move(root, moved);
            Files.writeString(root, "not a directory");
            HttpResponse<String> failing = awaitStatus(registry, "/v2/", 503);
            JsonNode error = JSON.readTree(failing.body()).get("errors").get(0);
            assertEquals("UNAVAILABLE", error.get("code").asText());
            assertEquals("storagedriver_filesystem: filesystem storage cannot be written, read back and deleted;"
                    + " the server log has the cause", error.get("detail").asText(), failing.body());
            assertEquals(503, get(registry, "/").statusCode());
            HttpResponse<String> health = get(registry, "/debug/health");
            assertEquals(503, health.statusCode());
            assertTrue(JSON.readTree(health.body()).has("storagedriver_filesystem"), health.body());
            // Unauthenticated clients learn what failed, never where: no server path, no exception name.
            for (String body : List.of(failing.body(), health.body())) {
                assertTrue(!body.contains(temp.toString()) && !body.contains("Exception"), body);
            }

            putBack(moved, root);
            awaitStatus(registry, "/v2/", 200);
            assertEquals("{}", get(registry, "/debug/health").body());
        }
    }

    @Test
    void theLogKeepsTheCauseTheClientsDoNotSee() throws Exception {
        Path root = Files.createDirectories(temp.resolve("gone"));
        StorageDriver driver = FilesystemDriver.at(root);
        PeriodicCheck check = new PeriodicCheck("storage", new StorageDriverCheck(driver), FAST, 0);
        Files.delete(root);
        Files.writeString(root, "a file where the root was");
        check.run();
        assertEquals("filesystem storage cannot be written, read back and deleted; the server log has the cause",
                check.error());
        assertTrue(check.detail().startsWith(check.error() + ": "), check.detail());
        assertTrue(check.detail().contains("Exception"), check.detail());
    }

    @Test
    void thresholdNeedsConsecutiveFailures() throws Exception {
        boolean[] failing = {true};
        PeriodicCheck check = new PeriodicCheck("flaky", () -> {
            if (failing[0]) throw new IllegalStateException("x");
        }, FAST, 2);
        check.run();
        assertEquals(null, check.error(), "one failure is below the threshold");
        check.run();
        assertEquals("x", check.error());
        failing[0] = false;
        check.run();
        assertEquals(null, check.error(), "one success clears it");
        failing[0] = true;
        check.run();
        assertEquals(null, check.error(), "the count starts again");
        try (HealthChecks checks = new HealthChecks().add("down", () -> { throw new IllegalStateException("x"); }, FAST, 0)) {
            assertTrue(checks.problems().isEmpty(), "not started: nothing reported");
        }
    }

    @Test
    void fileTcpAndHttpChecks() throws Exception {
        Path flag = temp.resolve("maintenance");
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Registry upstream = Registry.builder().start()) {
            int closedPort;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = closed.getLocalPort();
            }
            HealthChecks checks = new HealthChecks()
                    .add(flag.toString(), new FileCheck(flag), FAST, 0)
                    .add("127.0.0.1:" + listening.getLocalPort(),
                            new TcpCheck("127.0.0.1:" + listening.getLocalPort(), Duration.ofSeconds(1)),
                            Duration.ofDays(1), 0) // once: nobody accepts, so the backlog must not fill
                    .add("127.0.0.1:" + closedPort, new TcpCheck("127.0.0.1:" + closedPort, Duration.ofSeconds(1)), FAST, 0)
                    .add("up", new HttpCheck(upstream.url().resolve("/v2/"), Map.of("X-Probe", List.of("1")), 200,
                            Duration.ofSeconds(2)), FAST, 0)
                    .add("wrong-status", new HttpCheck(upstream.url().resolve("/v2/nothing/here"), Map.of(), 200,
                            Duration.ofSeconds(2)), FAST, 0);
            try (checks) {
                checks.start();
                Map<String, String> problems = await(checks, p -> p.size() == 2);
                assertEquals("connection to 127.0.0.1:" + closedPort + " failed", problems.get("127.0.0.1:" + closedPort));
                assertEquals("downstream service returned unexpected status: 404", problems.get("wrong-status"), problems.toString());
                Files.writeString(flag, "");
                assertEquals("file exists", await(checks, p -> p.size() == 3).get(flag.toString()));
                Files.delete(flag);
                await(checks, p -> p.size() == 2 && !p.containsKey(flag.toString()));
            }
        }
    }

    /**
     * Puts the storage directory back where the plain file stands. The failing check runs every
     * 50 ms, and its probe recreates a missing root to write into: whatever it made between the
     * delete and the move goes too, and the swap is tried again.
     */
    private static void putBack(Path moved, Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                if (Files.isDirectory(root)) {
                    try (Stream<Path> made = Files.walk(root)) {
                        for (Path path : made.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
                    }
                } else {
                    Files.deleteIfExists(root);
                }
                Files.move(moved, root);
                return;
            } catch (IOException raced) {
                if (attempt == 20) throw raced;
            }
        }
    }

    private static Map<String, String> await(HealthChecks checks, Predicate<Map<String, String>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Map<String, String> problems = checks.problems();
        while (!condition.test(problems)) {
            if (System.nanoTime() > deadline) fail("health checks never reached the expected state: " + problems);
            Thread.sleep(20);
            problems = checks.problems();
        }
        return problems;
    }

    private HttpResponse<String> awaitStatus(Registry registry, String path, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> response = get(registry, path);
        while (response.statusCode() != status) {
            if (System.nanoTime() > deadline) fail(path + " stayed " + response.statusCode() + ": " + response.body());
            Thread.sleep(20);
            response = get(registry, path);
        }
        return response;
    }

    private HttpResponse<String> get(Registry registry, String path) throws Exception {
        URI uri = registry.url().resolve(path);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
