package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code stevedore serve} with notifications and Prometheus on the debug listener: after pushes,
 * {@code /metrics} shows per-endpoint counts of events sent, failed deliveries and pending events,
 * for an endpoint that accepts and one that keeps failing (both on loopback).
 */
class NotificationMetricsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    @Test
    void scrapeShowsSentFailedAndPendingPerEndpoint() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.createContext("/ok", exchange -> {
            exchange.getRequestBody().readAllBytes();
            accepted.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.createContext("/broken", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        receiver.start();
        List<RunningServer> started = new ArrayList<>();
        try {
            String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
            Path config = Files.writeString(temp.resolve("config.yml"), "version: 0.1\nstorage:\n  inmemory:\n"
                    + "http:\n  debug:\n    addr: 127.0.0.1:0\n    prometheus:\n      enabled: true\n"
                    + "notifications:\n  endpoints:\n"
                    + "    - name: good\n      url: " + base + "/ok\n"
                    + "    - name: bad\n      url: " + base + "/broken\n      threshold: 1\n      backoff: 50ms\n");
            RegistryServer server = new RegistryServer(AuthFactory.UNAVAILABLE, S3StorageFactory.UNAVAILABLE);
            CommandLine commandLine = Main.commandLine((options, printer) -> {
                started.add(server.start(options, printer));
                return 0;
            }, Map.of());
            StringWriter err = new StringWriter();
            commandLine.setOut(new PrintWriter(new StringWriter(), true));
            commandLine.setErr(new PrintWriter(err, true));
            assertEquals(0, commandLine.execute("serve", config.toString(), "--addr", "127.0.0.1:0"), err.toString());
            RunningServer running = started.get(0);
            URI registry = running.registry().url();
            URI metrics = URI.create(running.debug().orElseThrow().url() + "/metrics");

            for (byte b = 1; b <= 2; b++) {
                byte[] blob = {b};
                String digest = "sha256:" + java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(blob));
                HttpResponse<String> push = HTTP.send(HttpRequest.newBuilder(registry.resolve(
                        "/v2/team/app/blobs/uploads/?digest=" + digest)).POST(HttpRequest.BodyPublishers.ofByteArray(blob))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, push.statusCode(), push.body());
            }

            String scrape = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                scrape = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                if (value(scrape, "stevedore_notifications_sent_total", "good") >= 2
                        && value(scrape, "stevedore_notifications_failed_total", "bad") >= 3) break;
                Thread.sleep(50);
            }
            assertEquals(2, value(scrape, "stevedore_notifications_sent_total", "good"), scrape);
            assertEquals(0, value(scrape, "stevedore_notifications_failed_total", "good"), scrape);
            assertEquals(0, value(scrape, "stevedore_notifications_pending", "good"), scrape);
            assertEquals(0, value(scrape, "stevedore_notifications_sent_total", "bad"), scrape);
            assertTrue(value(scrape, "stevedore_notifications_failed_total", "bad") >= 3, scrape);
            // The failing endpoint keeps retrying its first event; the second waits behind it.
            assertEquals(2, value(scrape, "stevedore_notifications_pending", "bad"), scrape);
            assertEquals(0, value(scrape, "stevedore_notifications_dropped_total", "bad"), scrape);
            assertEquals(2, accepted.get());
        } finally {
            started.forEach(RegistryServer::close);
            receiver.stop(0);
        }
    }

    /** The sample of {@code metric} for {@code endpoint}; -1 when absent. */
    private static double value(String scrape, String metric, String endpoint) {
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{endpoint=\"" + endpoint + "\"\\} (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
