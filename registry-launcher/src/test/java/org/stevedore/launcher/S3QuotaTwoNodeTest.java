package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.policies.RepositoryUsage;
import org.stevedore.storage.s3.S3ProxyExtension;
import picocli.CommandLine;

/**
 * Two {@code stevedore serve} nodes over one S3 bucket (S3Proxy), configured from one config.yml
 * with a quota, two clients per node pushing two-layer images over HTTP into one repository at
 * the same time until refused: the repository ends within its quota plus one push per other
 * node, every refusal is 403 DENIED "used X of Y", an upload into the full repository is
 * refused before data, and the usage gauge on the debug listener shows the repository.
 */
class S3QuotaTwoNodeTest {
    private static final long QUOTA = 300_000;
    private static final int LAYER = 12_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @TempDir
    Path temp;

    private final List<RunningServer> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        started.forEach(RunningServer::close);
    }

    @Test
    void twoNodesPushingIntoOneRepositoryKeepItsQuotaWithinOnePushPerOtherNode() throws Exception {
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("version", "0.1");
        yaml.put("storage", Map.of("s3", S3.parameters(Map.of()), "redirect", Map.of("disable", true)));
        yaml.put("http", Map.of("debug", Map.of("addr", "127.0.0.1:0", "prometheus", Map.of("enabled", true))));
        yaml.put("policies", Map.of("quotas", List.of(Map.of("repositories", "ci/**", "bytes", QUOTA))));
        Path config = temp.resolve("config.yml");
        new YAMLMapper().writeValue(config.toFile(), yaml);
        RunningServer nodeA = serve(config);
        RunningServer nodeB = serve(config);

        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Integer>> pushes = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
            URI node = (client % 2 == 0 ? nodeA : nodeB).registry().url();
            int seed = client;
            pushes.add(clients.submit(() -> pushUntilRefused(node, seed)));
        }
        int accepted = 0;
        for (Future<Integer> push : pushes) accepted += push.get(180, TimeUnit.SECONDS);
        clients.shutdown();

        RepositoryUsage usage = RepositoryUsage.of(nodeA.registry().service(), RepositoryName.of("ci/app"));
        long onePush = 2L * LAYER + 2 + 600; // two layers, the config, a manifest of about 600 bytes at most
        assertTrue(usage.bytes() <= QUOTA + onePush, "used " + usage.bytes() + " of " + QUOTA);
        assertTrue(usage.bytes() > QUOTA - 2 * onePush, "the pushers stopped near the quota: " + usage.bytes());
        assertEquals(accepted, usage.manifests(), "every accepted push is visible, no refused one is");

        // Full now: an upload declaring more than what is left is refused before data, on either node.
        byte[] layer = layer(99, LAYER);
        HttpResponse<String> refused = send(nodeB.registry().url(), "POST",
                "/v2/ci/app/blobs/uploads/?digest=" + ManifestParser.sha256(layer), layer);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(JSON.readTree(refused.body()).at("/errors/0/message").asText()
                .matches("quota exceeded: repository ci/app used .* of 293\\.0 KiB \\(\\d+ of 300000 bytes\\), "
                        + "this upload declares 12000 bytes; rule policies\\.quotas\\[0\\]"), refused.body());
        assertEquals(404, send(nodeA.registry().url(), "HEAD", "/v2/ci/app/blobs/" + ManifestParser.sha256(layer), null)
                .statusCode());

        String metrics = http.send(HttpRequest.newBuilder(URI.create(nodeA.debug().orElseThrow().url() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("stevedore_repository_quota_bytes{repository=\"ci/app\"} " + (double) QUOTA)
                || metrics.contains("stevedore_repository_quota_bytes{repository=\"ci/app\"} 300000"), metrics);
        assertTrue(metrics.contains("stevedore_repository_used_bytes{repository=\"ci/app\"}"), metrics);
    }

    /** Pushes images (two layers, config, manifest) over HTTP until one is refused; how many went. */
    private int pushUntilRefused(URI node, int client) throws Exception {
        for (int i = 0; i < 100; i++) {
            List<Map<String, Object>> layers = new ArrayList<>();
            boolean refused = false;
            for (int l = 0; l < 2 && !refused; l++) {
                byte[] layer = layer(client * 1000 + i * 10 + l, LAYER);
                HttpResponse<String> put = send(node, "POST", "/v2/ci/app/blobs/uploads/?digest="
                        + ManifestParser.sha256(layer), layer);
                refused = expectRefusalOr(201, put);
                layers.add(descriptor("application/vnd.oci.image.layer.v1.tar", ManifestParser.sha256(layer).toString(),
                        LAYER));
            }
            if (refused) return i;
            byte[] configBlob = ("{\"c\":" + client + "}").getBytes(StandardCharsets.UTF_8);
            if (expectRefusalOr(201, send(node, "POST", "/v2/ci/app/blobs/uploads/?digest="
                    + ManifestParser.sha256(configBlob), configBlob))) return i;
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
            manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json",
                    ManifestParser.sha256(configBlob).toString(), configBlob.length));
            manifest.put("layers", layers);
            HttpResponse<String> put = send(node, "PUT", "/v2/ci/app/manifests/c" + client + "-" + i,
                    JSON.writeValueAsBytes(manifest));
            if (expectRefusalOr(201, put)) return i;
        }
        throw new AssertionError("the quota never refused a push");
    }

    private static boolean expectRefusalOr(int success, HttpResponse<String> response) throws Exception {
        if (response.statusCode() == success) return false;
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("DENIED", JSON.readTree(response.body()).at("/errors/0/code").asText());
        assertTrue(response.body().contains("quota exceeded: repository ci/app used "), response.body());
        return true;
    }

    private RunningServer serve(Path config) {
        RegistryServer server = new RegistryServer(AuthFactory.UNAVAILABLE, new ConfiguredS3());
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine((options, printer) -> {
            started.add(server.start(options, printer));
            return 0;
        }, Map.of());
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(0, commandLine.execute("serve", config.toString(), "--addr", "127.0.0.1:0"), err.toString());
        return started.get(started.size() - 1);
    }

    private static byte[] layer(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Map<String, Object> descriptor(String type, String digest, long size) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", type);
        descriptor.put("digest", digest);
        descriptor.put("size", size);
        return descriptor;
    }

    private HttpResponse<String> send(URI node, String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", method.equals("PUT") ? "application/vnd.oci.image.manifest.v1+json"
                    : "application/octet-stream");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
