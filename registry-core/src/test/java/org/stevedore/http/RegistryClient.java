package org.stevedore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.Registry;
import org.stevedore.storage.layout.StorageLayout;

/**
 * What the HTTP tests share: a {@link HttpClient} bound to one running registry, shortcuts for the
 * push steps most tests need as setup, and a raw socket for requests {@code HttpClient} cannot
 * express (a disconnect mid-body, hand-written chunked bodies, malformed headers).
 */
final class RegistryClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String API_VERSION = "Docker-Distribution-API-Version";
    static final String DIGEST = "Docker-Content-Digest";

    private final Registry registry;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    RegistryClient(Registry registry) {
        this.registry = registry;
    }

    URI uri(String pathAndQuery) {
        return registry.url().resolve(pathAndQuery);
    }

    HttpResponse<byte[]> send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body);
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        return send(method, path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), headers);
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send("HEAD", path, HttpRequest.BodyPublishers.noBody(), headers);
    }

    HttpResponse<byte[]> delete(String path) {
        return send("DELETE", path, HttpRequest.BodyPublishers.noBody());
    }

    HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
        return send("POST", path, body, headers);
    }

    HttpResponse<byte[]> put(String path, byte[] body, String... headers) {
        return send("PUT", path, body, headers);
    }

    HttpResponse<byte[]> patch(String path, byte[] body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    /**
     * Whether storage holds anything at all for repository {@code name}: an operator's view,
     * for checking that refused requests leave nothing behind that no client could clean up.
     */
    boolean storesAnythingFor(String name) {
        try {
            return registry.storage().stat(StorageLayout.repository(RepositoryName.of(name))).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens an upload session and returns its {@code Location}. */
    String startUpload(String name) {
        HttpResponse<byte[]> response = post("/v2/" + name + "/blobs/uploads/", new byte[0]);
        assertEquals(202, response.statusCode(), () -> "start upload: " + text(response));
        return header(response, "Location");
    }

    /** Pushes a blob in one POST and returns its digest. */
    String pushBlob(String name, byte[] content) {
        String digest = sha256(content);
        HttpResponse<byte[]> response = post("/v2/" + name + "/blobs/uploads/?digest=" + digest, content);
        assertEquals(201, response.statusCode(), () -> "push blob: " + text(response));
        return digest;
    }

    /** Pushes manifest bytes under a tag or digest and returns the digest the registry reports. */
    String pushManifest(String name, String reference, String contentType, byte[] manifest) {
        HttpResponse<byte[]> response = put("/v2/" + name + "/manifests/" + reference, manifest,
                "Content-Type", contentType);
        assertEquals(201, response.statusCode(), () -> "push manifest: " + text(response));
        return header(response, DIGEST);
    }

    /**
     * Pushes a config and one layer (both derived from {@code seed}) and an OCI image manifest
     * naming them under {@code reference}; returns the manifest's bytes.
     */
    byte[] pushImage(String name, String reference, String seed) {
        byte[] manifest = imageManifest(name, OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, seed);
        pushManifest(name, reference, OCI_MANIFEST, manifest);
        return manifest;
    }

    /** Pushes the config and layer for {@code seed} and returns a manifest naming them, not yet pushed. */
    byte[] imageManifest(String name, String mediaType, String configType, String layerType, String seed) {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":\"" + seed + "\"}");
        byte[] layer = utf8("layer of " + seed);
        String configDigest = pushBlob(name, config);
        String layerDigest = pushBlob(name, layer);
        return utf8("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\","
                + "\"config\":" + descriptor(configType, configDigest, config.length) + ","
                + "\"layers\":[" + descriptor(layerType, layerDigest, layer.length) + "]}");
    }

    static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    /** A Basic {@code Authorization} header value. */
    static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(utf8(user + ":" + password));
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(HttpResponse<byte[]> response) {
        return response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
    }

    /** Reproducible pseudo-random content. */
    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** {@code location} with one more query parameter. */
    static String withQuery(String location, String parameter) {
        return location + (location.contains("?") ? "&" : "?") + parameter;
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name)
                .orElseThrow(() -> new AssertionError("no " + name + " header on " + response.statusCode()));
    }

    static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    /**
     * Asserts an error answer as the spec shapes it: the status, the API version header, and
     * {@code {"errors":[{"code":…,"message":…}]}} with the given code first. Returns that error.
     */
    static JsonNode assertError(HttpResponse<byte[]> response, int status, String code) {
        assertEquals(status, response.statusCode(), () -> text(response));
        assertEquals("registry/2.0", header(response, API_VERSION));
        assertTrue(header(response, "Content-Type").startsWith("application/json"));
        return assertErrorBody(response.body(), code);
    }

    static JsonNode assertErrorBody(byte[] body, String code) {
        JsonNode error = json(body).path("errors").path(0);
        assertEquals(code, error.path("code").asText(), () -> new String(body, StandardCharsets.UTF_8));
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isEmpty(),
                () -> "error without a message: " + new String(body, StandardCharsets.UTF_8));
        return error;
    }

    /** One answer read from a raw socket: status -1 when the server closed without answering. */
    record RawResponse(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            String value = headers.get(name);
            if (value == null) throw new AssertionError("no " + name + " header on raw " + status);
            return value;
        }
    }

    /** Sends {@code request} (which should say {@code Connection: close}) and reads the answer to EOF. */
    RawResponse raw(String request) {
        return raw(utf8(request), new byte[0], false);
    }

    /**
     * Sends a request head and body over a new socket. With {@code halfClose} the client shuts its
     * output after the body, as a client that gives up mid-body does, and still reads the answer.
     */
    RawResponse raw(byte[] head, byte[] body, boolean halfClose) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(registry.url().getHost(), registry.port()), 10_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head);
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            if (halfClose) socket.shutdownOutput();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a socket, sends {@code head} and {@code body}, and closes it at once without reading. */
    void sendAndDisconnect(byte[] head, byte[] body) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(registry.url().getHost(), registry.port()), 10_000);
            socket.getOutputStream().write(head);
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String hostHeader() {
        return "Host: " + registry.hostPort() + "\r\n";
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
        } catch (java.net.SocketException reset) {
            // A reset after the answer still leaves the answer readable above.
        }
        return out.toByteArray();
    }

    private static RawResponse parse(byte[] bytes) {
        String all = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (!all.startsWith("HTTP/") || end < 0) return new RawResponse(-1, Map.of(), bytes);
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        int bodyStart = end + 4;
        int length = headers.containsKey("Content-Length")
                ? Integer.parseInt(headers.get("Content-Length")) : bytes.length - bodyStart;
        byte[] body = java.util.Arrays.copyOfRange(bytes, bodyStart, Math.min(bytes.length, bodyStart + length));
        return new RawResponse(status, headers, body);
    }
}
