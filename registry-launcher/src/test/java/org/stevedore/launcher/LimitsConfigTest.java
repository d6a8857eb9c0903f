package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;

/**
 * Stevedore's {@code limits} section, from a file and from {@code REGISTRY_LIMITS_*} variables,
 * down to a running registry that enforces each limit over HTTP.
 */
class LimitsConfigTest {
    @TempDir
    Path temp;

    @RegisterExtension
    final InProcessServe launcher = new InProcessServe(AuthFactory.UNAVAILABLE);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void defaultsAreTheDocumentedOnes() throws IOException {
        LimitsConfig limits = ConfigLoader.load(Optional.of(write("version: 0.1\n")), Map.of()).config().limits();
        assertEquals(new LimitsConfig(4 * 1024 * 1024, 10_000, Duration.ofHours(24), 64 * 1024, 1000), limits);
    }

    @Test
    void fileSectionIsReadAndVariablesOverrideIt() throws IOException {
        Path file = write("version: 0.1\nlimits:\n  manifestbytes: 8192\n  uploadsessions: 5\n  uploadidle: 90s\n"
                + "  headerbytes: 4096\n  pagesize: 50\n");
        ConfigLoader.Loaded loaded = ConfigLoader.load(Optional.of(file), Map.of("REGISTRY_LIMITS_PAGESIZE", "7",
                "REGISTRY_LIMITS_UPLOADIDLE", "0"));
        assertEquals(new LimitsConfig(8192, 5, Duration.ZERO, 4096, 7), loaded.config().limits());
        assertEquals(List.of(), loaded.warnings());
    }

    @Test
    void badValuesAreRefusedNamingTheKeyAndVariable() throws IOException {
        Path file = write("version: 0.1\n");
        Map<String, String> cases = Map.of(
                "REGISTRY_LIMITS_PAGESIZE", "0",
                "REGISTRY_LIMITS_MANIFESTBYTES", "-1",
                "REGISTRY_LIMITS_UPLOADSESSIONS", "many",
                "REGISTRY_LIMITS_HEADERBYTES", "100",
                "REGISTRY_LIMITS_UPLOADIDLE", "forever");
        cases.forEach((variable, value) -> {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.load(Optional.of(file), Map.of(variable, value)), variable);
            String key = "limits." + variable.substring("REGISTRY_LIMITS_".length()).toLowerCase(java.util.Locale.ROOT);
            assertTrue(e.getMessage().startsWith(key + " (from " + variable + ")"), e.getMessage());
        });
        ConfigLoader.Loaded unknown = ConfigLoader.load(Optional.of(file), Map.of("REGISTRY_LIMITS_BLOBBYTES", "1"));
        assertEquals(List.of("ignoring unrecognized environment variable REGISTRY_LIMITS_BLOBBYTES"), unknown.warnings());
    }

    @Test
    void variablesSetTheLimitsOfTheRunningRegistry() throws Exception {
        Map<String, String> env = Map.of("REGISTRY_LIMITS_MANIFESTBYTES", "1024", "REGISTRY_LIMITS_UPLOADSESSIONS", "1",
                "REGISTRY_LIMITS_HEADERBYTES", "2048", "REGISTRY_LIMITS_PAGESIZE", "2", "REGISTRY_LIMITS_UPLOADIDLE", "1h");
        Registry registry = serve(env);
        URI base = registry.url();
        // Fixtures upload through the same service, so they come before the session limit is reached.
        for (String tag : List.of("a", "b", "c")) registry.fixtures().pushImage("limits/app", tag, 10);
        HttpResponse<String> page = send("GET", base.resolve("/v2/limits/app/tags/list"), null);
        assertTrue(page.body().contains("\"tags\":[\"a\",\"b\"]"), page.body());


        assertEquals(202, send("POST", base.resolve("/v2/limits/app/blobs/uploads/"), new byte[0]).statusCode());
        HttpResponse<String> second = send("POST", base.resolve("/v2/limits/app/blobs/uploads/"), new byte[0]);
        assertEquals(429, second.statusCode());
        assertTrue(second.body().contains("TOOMANYREQUESTS"), second.body());

        HttpResponse<String> manifest = send("PUT", base.resolve("/v2/limits/app/manifests/big"), new byte[2048]);
        assertEquals(413, manifest.statusCode(), manifest.body());

        assertEquals(200, send("GET", base.resolve("/v2/"), null).statusCode());
        assertEquals(431, rawStatus(registry, "X-Filler: " + "f".repeat(3000))); // over 2048: the error JSON
        assertEquals(400, rawStatus(registry, "X-Filler: " + "f".repeat(5000))); // over twice that: Undertow's bare 400
    }

    private Registry serve(Map<String, String> env) {
        return launcher.start(env, "--addr", "127.0.0.1:0", "--root", temp.resolve("data").toString());
    }

    private HttpResponse<String> send(String method, URI uri, byte[] body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return http.send(HttpRequest.newBuilder(uri).method(method, publisher).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a GET carrying {@code header}, over a raw socket. */
    private static int rawStatus(Registry registry, String header) throws IOException {
        try (Socket socket = new Socket(registry.url().getHost(), registry.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v2/ HTTP/1.1\r\nHost: x\r\n" + header + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(temp, "config", ".yml");
        Files.writeString(file, yaml);
        return file;
    }
}
