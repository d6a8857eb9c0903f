package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stevedore.model.ManifestParser;
import org.stevedore.model.RepositoryName;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/**
 * Quotas over HTTP: a multi-layer push whose manifest would pass the quota is refused with
 * 403 DENIED "used X of Y" and leaves nothing visible; shared layers count once; deleting gives
 * the space back.
 */
class QuotasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Registry registry;

    @AfterEach
    void stop() {
        if (registry != null) registry.close();
    }

    @Test
    void aPushPastTheQuotaIsRefusedAtItsManifestAndLeavesNothingVisible() throws Exception {
        StorageDriver storage = InMemoryDriver.create();
        Policies policies = new Policies(List.of(), List.of(new QuotaRule("policies.quotas[0]", Glob.of("ci/**"), 20_000)),
                RetentionPolicy.NONE);
        registry = Registry.builder().storage(storage).manifestGuard(policies.guard(storage, 4 * 1024 * 1024)).start();
        PushedImage first = registry.fixtures().pushImage("ci/app", "one", ImageSpec.layers(12_000).randomBytes().seed(1));
        registry.fixtures().pushImage("ci/app", "one-again", ImageSpec.layers(12_000).randomBytes().seed(1));
        long used = RepositoryUsage.of(registry.service(), RepositoryName.of("ci/app")).bytes();

        // A client's push: three layers and a config uploaded, then the manifest.
        Random random = new Random(2);
        List<Map<String, Object>> layers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] layer = new byte[3000];
            random.nextBytes(layer);
            layers.add(descriptor("application/vnd.oci.image.layer.v1.tar", upload("ci/app", layer), layer.length));
        }
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json", upload("ci/app", config), 2));
        manifest.put("layers", layers);
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        HttpResponse<String> refused = send("PUT", "/v2/ci/app/manifests/two", bytes,
                "application/vnd.oci.image.manifest.v1+json");

        assertEquals(403, refused.statusCode(), refused.body());
        String message = JSON.readTree(refused.body()).at("/errors/0/message").asText();
        assertTrue(message.contains("used " + ByteSize.text(used) + " of 19.5 KiB (" + used + " of 20000 bytes)")
                && message.contains("policies.quotas[0]"), message);
        assertEquals(404, send("GET", "/v2/ci/app/manifests/two", null, null).statusCode());
        assertEquals(404, send("GET", "/v2/ci/app/manifests/" + ManifestParser.sha256(bytes), null, null).statusCode());
        assertEquals(List.of("one", "one-again"), registry.contents().tags("ci/app"));
        assertEquals(used, RepositoryUsage.of(registry.service(), RepositoryName.of("ci/app")).bytes());

        assertEquals(202, send("DELETE", "/v2/ci/app/manifests/" + first.manifest(), null, null).statusCode());
        HttpResponse<String> fits = send("PUT", "/v2/ci/app/manifests/two", bytes, "application/vnd.oci.image.manifest.v1+json");
        assertEquals(201, fits.statusCode(), fits.body());
        registry.fixtures().pushImage("other/app", "big", ImageSpec.layers(50_000).randomBytes().seed(3));
    }

    @Test
    void anUploadIntoAFullRepositoryOrDeclaringTooMuchIsRefusedBeforeAnyDataIsWritten() throws Exception {
        StorageDriver storage = InMemoryDriver.create();
        Policies policies = new Policies(List.of(), List.of(new QuotaRule("policies.quotas[0]", Glob.of("ci/**"), 20_000)),
                RetentionPolicy.NONE);
        registry = Registry.builder().storage(storage).manifestGuard(policies.guard(storage, 4 * 1024 * 1024)).start();
        registry.fixtures().pushImage("ci/app", "one", ImageSpec.layers(12_000).randomBytes().seed(1));
        long used = RepositoryUsage.of(registry.service(), RepositoryName.of("ci/app")).bytes();
        // The usage is a record in storage, not a walk per request.
        assertTrue(storage.list("/docker/registry/v2/repositories/ci/app/_usage/counts").size() >= 1);

        // A whole blob in one request that would pass the quota: refused, nothing stored.
        byte[] big = new byte[20_000 - (int) used + 1];
        new Random(5).nextBytes(big);
        String bigDigest = ManifestParser.sha256(big).toString();
        HttpResponse<String> whole = send("POST", "/v2/ci/app/blobs/uploads/?digest=" + bigDigest, big,
                "application/octet-stream");
        assertEquals(403, whole.statusCode(), whole.body());
        assertEquals("DENIED", JSON.readTree(whole.body()).at("/errors/0/code").asText());
        String message = JSON.readTree(whole.body()).at("/errors/0/message").asText();
        assertTrue(message.contains("used " + ByteSize.text(used) + " of 19.5 KiB (" + used + " of 20000 bytes)")
                && message.contains("this upload declares " + big.length + " bytes"), message);
        assertEquals(404, send("HEAD", "/v2/ci/app/blobs/" + bigDigest, null, null).statusCode());

        // A session's chunk declaring too much: refused before its data is written.
        HttpResponse<String> session = send("POST", "/v2/ci/app/blobs/uploads/", null, null);
        assertEquals(202, session.statusCode(), session.body());
        String location = session.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> chunk = send("PATCH", location, big, "application/octet-stream");
        assertEquals(403, chunk.statusCode(), chunk.body());
        HttpResponse<String> status = send("GET", location, null, null);
        assertEquals("0-0", status.headers().firstValue("Range").orElseThrow());

        // A blob that fits goes, and its manifest.
        byte[] fits = new byte[20_000 - (int) used - 1000];
        new Random(6).nextBytes(fits);
        upload("ci/app", fits);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json",
                upload("ci/app", "{}".getBytes(StandardCharsets.UTF_8)), 2));
        manifest.put("layers", List.of(descriptor("application/vnd.oci.image.layer.v1.tar",
                ManifestParser.sha256(fits).toString(), fits.length)));
        HttpResponse<String> full = send("PUT", "/v2/ci/app/manifests/full", JSON.writeValueAsBytes(manifest),
                "application/vnd.oci.image.manifest.v1+json");
        assertEquals(201, full.statusCode(), full.body());
        long nowUsed = RepositoryUsage.of(registry.service(), RepositoryName.of("ci/app")).bytes();
        assertTrue(nowUsed > 19_000 && nowUsed <= 20_000, "used " + nowUsed);

        // A second node over the same store with a smaller quota: the repository is past it, so
        // not even a session starts there; it reads the usage the first node recorded.
        Policies smaller = new Policies(List.of(), List.of(new QuotaRule("policies.quotas[0]", Glob.of("ci/**"), 10_000)),
                RetentionPolicy.NONE);
        try (Registry second = Registry.builder().storage(storage).manifestGuard(smaller.guard(storage, 4 * 1024 * 1024))
                .start()) {
            HttpResponse<String> start = HTTP.send(HttpRequest.newBuilder(URI.create(second.url() + "/v2/ci/app/blobs/uploads/"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, start.statusCode(), start.body());
            assertTrue(start.body().contains("used " + ByteSize.text(nowUsed) + " of 9.8 KiB (" + nowUsed
                    + " of 10000 bytes), no upload fits"), start.body());
        }
        // Another repository without a rule is not concerned.
        assertEquals(202, send("POST", "/v2/other/app/blobs/uploads/", null, null).statusCode());
    }

    private String upload(String repository, byte[] blob) throws Exception {
        String digest = ManifestParser.sha256(blob).toString();
        HttpResponse<String> put = send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, blob,
                "application/octet-stream");
        assertEquals(201, put.statusCode(), put.body());
        return digest;
    }

    private static Map<String, Object> descriptor(String type, String digest, long size) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", type);
        descriptor.put("digest", digest);
        descriptor.put("size", size);
        return descriptor;
    }

    private HttpResponse<String> send(String method, String path, byte[] body, String type) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) request.header("Content-Type", type);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
