package org.stevedore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.stevedore.model.Digest;

/** A plain client for the tests: requests against a registry URL, and a whole pull with digest checks. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static HttpResponse<byte[]> send(String method, URI base, String path, String accept, byte[] body,
                                     String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (accept != null) request.header("Accept", accept);
        if (body != null) request.header("Content-Type", accept == null ? "application/octet-stream" : accept);
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<byte[]> get(URI base, String path) {
        return send("GET", base, path, ManifestRefresher.ACCEPT, null);
    }

    static Digest sha256(byte[] bytes) {
        try {
            return new Digest("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String errorCode(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body()).path("errors").path(0).path("code").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pulls {@code repository:reference} as a client does: the manifest, then (for an index) each
     * child manifest, then every config and layer blob, checking each digest. Returns the
     * manifest's digest.
     */
    static Digest pull(URI base, String repository, String reference) {
        HttpResponse<byte[]> manifest = get(base, "/v2/" + repository + "/manifests/" + reference);
        assertEquals(200, manifest.statusCode(), () -> new String(manifest.body()));
        Digest digest = sha256(manifest.body());
        assertEquals(digest.toString(), manifest.headers().firstValue("Docker-Content-Digest").orElseThrow());
        JsonNode json = readTree(manifest.body());
        for (JsonNode child : json.path("manifests")) {
            assertEquals(child.path("digest").asText(), pull(base, repository, child.path("digest").asText()).toString());
        }
        List<JsonNode> blobs = new java.util.ArrayList<>();
        if (json.has("config")) blobs.add(json.path("config"));
        json.path("layers").forEach(blobs::add);
        for (JsonNode blob : blobs) {
            HttpResponse<byte[]> bytes = get(base, "/v2/" + repository + "/blobs/" + blob.path("digest").asText());
            assertEquals(200, bytes.statusCode());
            assertEquals(blob.path("digest").asText(), sha256(bytes.body()).toString());
            assertEquals(blob.path("size").asLong(), bytes.body().length);
        }
        return digest;
    }

    private static JsonNode readTree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
