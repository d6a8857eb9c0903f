package org.stevedore.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar with {@code log.formatter: json} and htpasswd auth, as a child process: every
 * line it writes (standard output and error together) is one JSON object, access lines carry the
 * request's fields, and no line holds the password or an {@code Authorization} value.
 */
class JsonLogsIT {
    private static final Path JAR = Path.of(System.getProperty("stevedore.jar", "target/stevedore.jar"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "Pa55-w0rd-sekrit";
    private static final String BEARER = "eyJhbGciOiJFUzI1NiJ9.not-a-real-token.c2lnbmF0dXJl";

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyLineIsJsonAndNoneHoldsCredentials() throws Exception {
        List<JsonNode> lines = runTraffic(Map.of());
        List<JsonNode> access = new ArrayList<>();
        for (JsonNode line : lines) {
            for (String field : List.of("time", "level", "logger", "msg")) {
                assertTrue(line.hasNonNull(field), "missing " + field + ": " + line);
            }
            assertEquals("registry", line.get("service").asText(), "log.fields on every line: " + line);
            if (line.get("logger").asText().equals("org.stevedore.access")) access.add(line);
        }
        assertTrue(lines.stream().anyMatch(l -> l.get("msg").asText().startsWith("stevedore serving http://127.0.0.1:")),
                "the banner is a JSON line too");
        assertTrue(access.size() >= 5, "one access line per request: " + access);
        JsonNode push = access.stream().filter(l -> l.get("http.request.method").asText().equals("POST")).findFirst()
                .orElseThrow(() -> new AssertionError("no access line for the push: " + access));
        assertEquals(201, push.get("http.response.status").asInt());
        assertEquals("ci", push.get("auth.user.name").asText());
        assertEquals(5, push.get("http.request.read").asInt(), "request body bytes");
        assertTrue(push.get("http.request.uri").asText().startsWith("/v2/demo/app/blobs/uploads/"), push.toString());
        assertFalse(push.get("http.request.uri").asText().contains("?"), "no query string in logs");
        assertTrue(push.get("http.request.remoteaddr").asText().startsWith("127.0.0.1:"), push.toString());
        assertEquals("json-logs-test/1.0", push.get("http.request.useragent").asText());
        assertTrue(push.get("http.response.duration_ms").isNumber(), push.toString());
        assertFalse(push.get("http.request.id").asText().isEmpty());
        assertTrue(access.stream().anyMatch(l -> l.get("http.response.status").asInt() == 401), "refusals are logged");
    }

    @Test
    void accessLogDisabledDropsAccessLinesOnly() throws Exception {
        List<JsonNode> lines = runTraffic(Map.of("REGISTRY_LOG_ACCESSLOG_DISABLED", "true"));
        assertTrue(lines.stream().anyMatch(l -> l.get("msg").asText().startsWith("stevedore serving")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.get("logger").asText().equals("org.stevedore.access")), lines.toString());
    }

    /** Starts the jar, sends authenticated, refused and anonymous requests, stops it; returns its parsed lines. */
    private List<JsonNode> runTraffic(Map<String, String> env) throws Exception {
        Path htpasswd = temp.resolve("htpasswd");
        // bcrypt at the lowest cost keeps the test fast; the htpasswd command has its own tests.
        Files.writeString(htpasswd, "ci:" + org.mindrot.jbcrypt.BCrypt.hashpw(PASSWORD, org.mindrot.jbcrypt.BCrypt.gensalt(4))
                + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = temp.resolve("config.yml");
        Files.writeString(config, "version: 0.1\nlog:\n  formatter: json\n  fields:\n    service: registry\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + temp.resolve("data") + "\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n"
                + "auth:\n  htpasswd:\n    realm: test\n    path: " + htpasswd + "\n"
                + "unknown_key: makes a warning line\n");
        Path log = temp.resolve("serve.log");
        ProcessBuilder builder = new ProcessBuilder(JAVA.toString(), "-jar", JAR.toString(), "serve", config.toString())
                .directory(temp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().putAll(env);
        Process server = builder.start();
        processes.add(server);
        URI base = URI.create("http://127.0.0.1:" + port);
        String good = "Basic " + Base64.getEncoder().encodeToString(("ci:" + PASSWORD).getBytes(UTF_8));
        String bad = "Basic " + Base64.getEncoder().encodeToString(("ci:" + PASSWORD + "x").getBytes(UTF_8));

        awaitUp(server, base.resolve("/v2/"), log);
        assertEquals(401, send(base.resolve("/v2/"), "GET", null, null).statusCode());
        assertEquals(401, send(base.resolve("/v2/"), "GET", bad, null).statusCode());
        assertEquals(401, send(base.resolve("/v2/demo/app/tags/list"), "GET", "Bearer " + BEARER, null).statusCode());
        assertEquals(200, send(base.resolve("/v2/"), "GET", good, null).statusCode());
        byte[] blob = "hello".getBytes(UTF_8);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        assertEquals(201, send(base.resolve("/v2/demo/app/blobs/uploads/?digest=" + digest), "POST", good, blob).statusCode());

        server.destroy();
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), Files.readString(log));
        String output = Files.readString(log);
        for (String secret : List.of(PASSWORD, good.substring(6), bad.substring(6), BEARER)) {
            assertFalse(output.contains(secret), "a credential is in the log:\n" + output);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            try {
                JsonNode node = JSON.readTree(line);
                assertTrue(node != null && node.isObject(), "not a JSON object: " + line);
                lines.add(node);
            } catch (IOException e) {
                fail("not JSON: " + line + "\n" + output);
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.get("level").asText().equals("warn")
                && l.get("msg").asText().contains("unknown_key")), "config warnings are JSON lines: " + output);
        return lines;
    }

    private HttpResponse<String> send(URI uri, String method, String authorization, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("User-Agent", "json-logs-test/1.0")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitUp(Process server, URI ping, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) fail("server exited\n" + Files.readString(log));
            try {
                send(ping, "GET", null, null);
                return;
            } catch (ConnectException notYet) {
                Thread.sleep(100);
            }
        }
        fail("no answer within 60 s\n" + Files.readString(log));
    }
}
