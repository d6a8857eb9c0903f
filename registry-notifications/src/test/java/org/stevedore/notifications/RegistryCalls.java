package org.stevedore.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;

/** The API calls the tests make against a running registry: push blobs and manifests, pull, mount, delete. */
final class RegistryCalls {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private final URI base;
    private final Optional<String> authorization;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    RegistryCalls(URI base, Optional<String> authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** A pushed image: its manifest bytes and digests. */
    record Image(String manifestDigest, byte[] manifest, String configDigest, int configSize, String layerDigest,
                 int layerSize) {
    }

    /** Pushes a config, one layer of {@code layerBytes} random bytes and an OCI manifest tagged {@code tag}. */
    Image pushImage(String repository, String tag, int layerBytes, long seed) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed
                + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[layerBytes];
        new Random(seed).nextBytes(layer);
        String configDigest = pushBlob(repository, config);
        String layerDigest = pushBlob(repository, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"" + OCI_LAYER + "\",\"digest\":\"" + layerDigest + "\",\"size\":"
                + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = send(request("/v2/" + repository + "/manifests/" + tag)
                .header("Content-Type", OCI_MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        assertEquals(201, put.statusCode(), put.body());
        return new Image(sha256(manifest), manifest, configDigest, config.length, layerDigest, layer.length);
    }

    /** A monolithic upload ({@code POST ?digest=}). */
    String pushBlob(String repository, byte[] content) throws Exception {
        String digest = sha256(content);
        HttpResponse<String> response = send(request("/v2/" + repository + "/blobs/uploads/?digest=" + digest)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)));
        assertEquals(201, response.statusCode(), response.body());
        return digest;
    }

    int get(String path) throws Exception {
        return send(request(path).header("Accept", OCI_MANIFEST).GET()).statusCode();
    }

    int mount(String repository, String digest, String from) throws Exception {
        return send(request("/v2/" + repository + "/blobs/uploads/?mount=" + digest + "&from=" + from)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode();
    }

    int delete(String path) throws Exception {
        return send(request(path).DELETE()).statusCode();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
