package org.stevedore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.storage.fs.FilesystemDriver;

/** Real HTTP traffic against a registry wired with metrics; the scrape is read over HTTP and parsed. */
class RegistryMetricsTest {
    private static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Registry start(RegistryMetrics metrics, boolean users, Duration gcInterval) {
        var builder = Registry.builder()
                .storage(metrics.meter(FilesystemDriver.at(temp)))
                .requestObserver(metrics.requestObserver())
                .garbageCollectionListener(metrics.garbageCollectionListener())
                .extraRoute("/metrics", metrics.scrapeHandler());
        if (users) builder = builder.users(Map.of("ci", "s3cret"));
        if (gcInterval != null) builder = builder.garbageCollection(gcInterval, Duration.ZERO);
        return builder.start();
    }

    @Test
    void pushAndPullShowInCountersLatenciesBytesAndStorageActions() throws Exception {
        RegistryMetrics metrics = RegistryMetrics.create();
        try (Registry registry = start(metrics, true, null)) {
            PrometheusText before = scrape(registry);
            assertEquals(0, before.sum("registry_http_requests_total"));
            assertTrue(before.has("jvm_memory_used_bytes"), "JVM metrics are exposed");

            assertEquals(401, send(registry, "GET", "/v2/", null, null, false).statusCode());
            byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
            byte[] layer = new byte[100_000];
            new java.util.Random(7).nextBytes(layer);
            String configDigest = sha256(config);
            String layerDigest = sha256(layer);
            assertEquals(201, send(registry, "POST", "/v2/demo/app/blobs/uploads/?digest=" + configDigest, config,
                    "application/octet-stream", true).statusCode());
            // a chunked upload session: POST, PATCH, PUT
            HttpResponse<byte[]> started = send(registry, "POST", "/v2/demo/app/blobs/uploads/", null, null, true);
            assertEquals(202, started.statusCode());
            assertEquals(1, scrape(registry).value("stevedore_uploads_active"));
            String location = started.headers().firstValue("Location").orElseThrow();
            HttpResponse<byte[]> patched = send(registry, "PATCH", location, layer, "application/octet-stream", true);
            assertEquals(202, patched.statusCode());
            String next = patched.headers().firstValue("Location").orElseThrow();
            assertEquals(201, send(registry, "PUT", next + (next.contains("?") ? "&" : "?") + "digest=" + layerDigest,
                    null, null, true).statusCode());
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":\""
                    + CONFIG_TYPE + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[{"
                    + "\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest
                    + "\",\"size\":" + layer.length + "}]}";
            assertEquals(201, send(registry, "PUT", "/v2/demo/app/manifests/1", manifest.getBytes(StandardCharsets.UTF_8),
                    MANIFEST_TYPE, true).statusCode());
            assertEquals(200, send(registry, "GET", "/v2/demo/app/manifests/1", null, null, true).statusCode());
            assertEquals(200, send(registry, "HEAD", "/v2/demo/app/manifests/1", null, null, true).statusCode());
            assertEquals(200, send(registry, "GET", "/v2/demo/app/blobs/" + layerDigest, null, null, true).statusCode());

            PrometheusText after = scrape(registry);
            assertEquals(1, after.value("registry_http_requests_total{code=\"401\",handler=\"base\",method=\"GET\"}"));
            assertEquals(1, after.value("registry_http_requests_total{code=\"201\",handler=\"manifest\",method=\"PUT\"}"));
            assertEquals(1, after.value("registry_http_requests_total{code=\"200\",handler=\"blob\",method=\"GET\"}"));
            assertEquals(1, after.value("stevedore_auth_failures_total{reason=\"unauthenticated\"}"));
            assertEquals(1, after.value("stevedore_manifest_operations_total{operation=\"push\"}"));
            assertEquals(1, after.value("stevedore_manifest_operations_total{operation=\"pull\"}"));
            assertEquals(1, after.value("stevedore_manifest_operations_total{operation=\"head\"}"));
            assertEquals(2, after.value("stevedore_blob_operations_total{operation=\"push\"}"));
            assertEquals(1, after.value("stevedore_blob_operations_total{operation=\"pull\"}"));
            assertEquals(0, after.value("stevedore_uploads_active"));
            assertEquals(1, after.value("registry_http_request_duration_seconds_count{handler=\"manifest\",method=\"PUT\"}"));
            assertTrue(after.value("registry_http_request_duration_seconds_sum{handler=\"manifest\",method=\"PUT\"}") > 0);
            assertTrue(after.sum("registry_http_request_bytes_total") >= layer.length + config.length + manifest.length(),
                    "request bytes counted");
            assertTrue(after.value("registry_http_response_bytes_total{handler=\"blob\"}") >= layer.length,
                    "blob bytes sent counted");
            assertTrue(after.sum("registry_storage_action_seconds_count", "driver=\"filesystem\"",
                    "action=\"write_small\"") > 0, "storage writes timed");
            assertTrue(after.sum("registry_storage_action_seconds_count", "action=\"commit\"") >= 1, "commits timed");
            assertEquals(0, after.sum("stevedore_storage_errors_total"), "no storage failures");
        }
    }

    @Test
    void garbageCollectionRunsAndFreedBytesAreCounted() throws Exception {
        RegistryMetrics metrics = RegistryMetrics.create(new io.prometheus.metrics.model.registry.PrometheusRegistry(), false);
        try (Registry registry = start(metrics, false, Duration.ofMillis(200))) {
            byte[] orphan = new byte[4096];
            String digest = sha256(orphan);
            assertEquals(201, send(registry, "POST", "/v2/demo/orphan/blobs/uploads/?digest=" + digest, orphan,
                    "application/octet-stream", false).statusCode());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            PrometheusText scraped = scrape(registry);
            // A run counts its freed bytes as it deletes and itself when it ends: wait for both.
            while (scraped.value("stevedore_gc_freed_bytes_total") < orphan.length || scraped.value("stevedore_gc_runs_total") < 1) {
                if (System.nanoTime() > deadline) fail("no GC run freed the orphan blob:\n" + scraped.sum("stevedore_gc_runs_total"));
                Thread.sleep(50);
                scraped = scrape(registry);
            }
            assertTrue(scraped.value("stevedore_gc_runs_total") >= 1);
            assertEquals(1, scraped.value("stevedore_gc_blobs_deleted_total"));
            assertTrue(!scraped.has("jvm_memory_used_bytes"), "JVM metrics left out on request");
        }
    }

    private PrometheusText scrape(Registry registry) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(registry.url().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return PrometheusText.parse(response.body());
    }

    private HttpResponse<byte[]> send(Registry registry, String method, String path, byte[] body, String type,
                                      boolean authenticated) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(registry.url().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) request.header("Content-Type", type);
        if (authenticated) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString("ci:s3cret".getBytes(StandardCharsets.UTF_8)));
        }
        if (method.equals("GET") && path.contains("/manifests/")) request.header("Accept", MANIFEST_TYPE);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
