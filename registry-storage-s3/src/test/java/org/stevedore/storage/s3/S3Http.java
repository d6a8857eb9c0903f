package org.stevedore.storage.s3;

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
import org.stevedore.registry.Registry;

/** A small HTTP client for the registry tests of this module: one request, bytes back. */
final class S3Http {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private S3Http() {
    }

    static HttpResponse<byte[]> send(Registry node, String method, String path, byte[] body, String... headers) {
        return send(node.url().resolve(URI.create(path)), method, body, headers);
    }

    static HttpResponse<byte[]> send(URI uri, String method, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri.getPath() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header"));
    }

    static String text(HttpResponse<byte[]> response) {
        return response.statusCode() + " " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uploads {@code bytes} in one POST with {@code ?digest=}; returns the digest. */
    static String pushBlob(Registry node, String repository, byte[] bytes) {
        String digest = sha256(bytes);
        HttpResponse<byte[]> response = send(node, "POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, bytes,
                "Content-Type", "application/octet-stream");
        if (response.statusCode() != 201) throw new AssertionError("push of a blob: " + text(response));
        return digest;
    }
}
