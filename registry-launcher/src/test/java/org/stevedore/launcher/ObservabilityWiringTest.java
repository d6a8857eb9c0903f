package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The debug listener, metrics and health checks of {@code stevedore serve}, configured only through
 * {@code REGISTRY_*} variables, in process: real HTTP to the API and to the debug listener.
 */
class ObservabilityWiringTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<RunningServer> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        started.forEach(RunningServer::close);
    }

    private RunningServer serve(Map<String, String> env) {
        RegistryServer server = new RegistryServer(config -> {
            throw new AssertionError("no auth configured");
        }, S3StorageFactory.UNAVAILABLE);
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            started.add(server.start(options, printer));
            return 0;
        }, env);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(0, commandLine.execute("serve", "--addr", "127.0.0.1:0", "--root", temp.resolve("storage").toString()),
                err.toString());
        assertEquals(1, started.size());
        return started.get(0);
    }

    @Test
    void metricsOnTheDebugListenerCountRealTraffic() throws Exception {
        RunningServer server = serve(Map.of("REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:0",
                "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true"));
        URI api = server.registry().url();
        URI debug = URI.create(server.debug().orElseThrow().url());
        assertTrue(out.toString().contains("debug listener on " + debug + ": /debug/health, /metrics"), out.toString());
        assertEquals(404, get(api.resolve("/metrics")).statusCode(), "metrics only on the debug listener");
        assertEquals(404, get(debug.resolve("/v2/")).statusCode(), "no API on the debug listener");

        String before = get(debug.resolve("/metrics")).body();
        assertTrue(before.contains("jvm_threads_current"), "JVM basics are there");
        double manifestPushes = value(before, "stevedore_manifest_operations_total{operation=\"push\"}");

        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(config));
        assertEquals(201, send("POST", api.resolve("/v2/demo/app/blobs/uploads/?digest=" + digest), config, null).statusCode());
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest + "\",\"size\":2},"
                + "\"layers\":[]}";
        assertEquals(201, send("PUT", api.resolve("/v2/demo/app/manifests/1"), manifest.getBytes(StandardCharsets.UTF_8),
                "application/vnd.oci.image.manifest.v1+json").statusCode());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send("GET", api.resolve("/v2/demo/app/manifests/1"), null,
                    "application/vnd.oci.image.manifest.v1+json").statusCode());
        }
        assertEquals(200, get(api.resolve("/")).statusCode(), "GET / for load balancers");

        String after = get(debug.resolve("/metrics")).body();
        assertEquals(manifestPushes + 1, value(after, "stevedore_manifest_operations_total{operation=\"push\"}"));
        assertEquals(3, value(after, "stevedore_manifest_operations_total{operation=\"pull\"}"));
        assertEquals(3, value(after, "registry_http_requests_total{code=\"200\",handler=\"manifest\",method=\"GET\"}"));
        assertEquals(3, value(after, "registry_http_request_duration_seconds_count{handler=\"manifest\",method=\"GET\"}"));
        assertEquals(1, value(after, "stevedore_blob_operations_total{operation=\"push\"}"));
        assertTrue(value(after, "registry_storage_action_seconds_count{action=\"write_small\",driver=\"filesystem\"}") > 0,
                after);
        assertEquals("{}", get(debug.resolve("/debug/health")).body(), "no checks, healthy");
    }

    @Test
    void storageHealthCheckTurnsUnavailableWhileTheDirectoryIsUnwritable() throws Exception {
        RunningServer server = serve(Map.of("REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:0",
                "REGISTRY_HEALTH_STORAGEDRIVER_ENABLED", "true", "REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "100ms",
                "REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", "2"));
        URI api = server.registry().url();
        URI health = URI.create(server.debug().orElseThrow().url()).resolve("/debug/health");
        assertEquals(200, await(api.resolve("/v2/"), 200).statusCode());
        assertEquals(200, get(health).statusCode());

        // Root ignores permissions, so "unwritable" is made the way that works for every user:
        // the storage directory is moved away and a plain file takes its place.
        Path root = temp.resolve("storage");
        Path away = temp.resolve("storage.away");
        Files.move(root, away);
        Files.writeString(root, "not a directory");
        HttpResponse<String> unhealthy = await(health, 503);
        assertTrue(JSON.readTree(unhealthy.body()).get("storagedriver_filesystem").asText().contains("filesystem"),
                unhealthy.body());
        HttpResponse<String> api503 = get(api.resolve("/v2/"));
        assertEquals(503, api503.statusCode());
        assertEquals("UNAVAILABLE", JSON.readTree(api503.body()).get("errors").get(0).get("code").asText());
        assertEquals(503, get(api.resolve("/v2/demo/app/tags/list")).statusCode());
        assertEquals(503, get(api.resolve("/")).statusCode(), "load balancers see it too, as with distribution");

        Files.delete(root);
        Files.move(away, root);
        assertEquals("{}", await(health, 200).body());
        assertEquals(200, get(api.resolve("/v2/")).statusCode());
        assertEquals(200, get(api.resolve("/")).statusCode());
    }

    private HttpResponse<String> await(URI uri, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> response = get(uri);
        while (response.statusCode() != status) {
            if (System.nanoTime() > deadline) fail(uri + " stayed " + response.statusCode() + ": " + response.body());
            Thread.sleep(20);
            response = get(uri);
        }
        return response;
    }

    /** The value of one series in Prometheus text; 0 when it has no sample yet. */
    static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
        return 0;
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, URI uri, byte[] body, String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) request.header(method.equals("GET") ? "Accept" : "Content-Type", type);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
