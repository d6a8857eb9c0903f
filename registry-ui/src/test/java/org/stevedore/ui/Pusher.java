package org.stevedore.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pushes images, indexes and signatures over the distribution API, as a client would. */
final class Pusher {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String COSIGN = "application/vnd.dev.cosign.artifact.sig.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final Optional<String> authorization;

    Pusher(URI base, Optional<String> userAndPassword) {
        this.base = base;
        this.authorization = userAndPassword.map(u -> "Basic "
                + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
    }

    /** A pushed manifest: its digest and size. */
    record Pushed(String digest, long size) {
    }

    Pushed blob(String repository, byte[] bytes) throws Exception {
        String digest = digest(bytes);
        send(HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/blobs/uploads/?digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), 201);
        return new Pushed(digest, bytes.length);
    }

    Pushed manifest(String repository, String reference, String mediaType, Object manifest) throws Exception {
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        send(HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), 201);
        return new Pushed(digest(bytes), bytes.length);
    }

    /** An image whose config has these labels, a command, a port and {@code layers} small layers. */
    Pushed image(String repository, String tag, String os, String architecture, Map<String, String> labels, int layers)
            throws Exception {
        List<Object> layerDescriptors = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            byte[] layer = (repository + tag + os + architecture + i + "-layer-bytes").repeat(40 + i)
                    .getBytes(StandardCharsets.UTF_8);
            Pushed pushed = blob(repository, layer);
            layerDescriptors.add(descriptor(LAYER, pushed));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("Entrypoint", List.of("/bin/server"));
        settings.put("Cmd", List.of("--port", "8080"));
        settings.put("ExposedPorts", Map.of("8080/tcp", Map.of()));
        settings.put("Labels", labels);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("created", "2026-01-02T03:04:05Z");
        config.put("architecture", architecture);
        config.put("os", os);
        config.put("config", settings);
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of()));
        Pushed configBlob = blob(repository, JSON.writeValueAsBytes(config));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.put("config", descriptor(OCI_CONFIG, configBlob));
        manifest.put("layers", layerDescriptors);
        return manifest(repository, tag, OCI_MANIFEST, manifest);
    }

    /** An index of linux/amd64 and linux/arm64 images, tagged {@code tag}. */
    Pushed index(String repository, String tag, Map<String, String> labels) throws Exception {
        Pushed amd64 = image(repository, tag + "-amd64", "linux", "amd64", labels, 2);
        Pushed arm64 = image(repository, tag + "-arm64", "linux", "arm64", labels, 2);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        index.put("manifests", List.of(platformDescriptor(amd64, "amd64"), platformDescriptor(arm64, "arm64")));
        return manifest(repository, tag, OCI_INDEX, index);
    }

    /** A cosign-style signature with {@code subject} as its subject, pushed by digest. */
    Pushed signature(String repository, Pushed subject, String subjectMediaType) throws Exception {
        Pushed empty = blob(repository, "{}".getBytes(StandardCharsets.UTF_8));
        Pushed payload = blob(repository, ("signature of " + subject.digest()).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.put("artifactType", COSIGN);
        manifest.put("config", descriptor("application/vnd.oci.empty.v1+json", empty));
        manifest.put("layers", List.of(descriptor("application/vnd.dev.cosign.simplesigning.v1+json", payload)));
        manifest.put("subject", Map.of("mediaType", subjectMediaType, "digest", subject.digest(), "size", subject.size()));
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        return manifest(repository, digest(bytes), OCI_MANIFEST, manifest);
    }

    private static Map<String, Object> platformDescriptor(Pushed image, String architecture) {
        return Map.of("mediaType", OCI_MANIFEST, "digest", image.digest(), "size", image.size(),
                "platform", Map.of("os", "linux", "architecture", architecture));
    }

    private static Map<String, Object> descriptor(String mediaType, Pushed pushed) {
        return Map.of("mediaType", mediaType, "digest", pushed.digest(), "size", pushed.size());
    }

    private void send(HttpRequest.Builder request, int expected) throws Exception {
        authorization.ifPresent(a -> request.header("Authorization", a));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), () -> request.build().uri() + ": " + response.body());
    }

    static String digest(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
