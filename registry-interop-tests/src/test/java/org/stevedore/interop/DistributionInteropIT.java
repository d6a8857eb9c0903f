package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * Debian's docker-registry (distribution 2.8.2) and Stevedore take turns over one storage directory:
 * what one stored, the other serves, byte for byte, as real clients (skopeo) and plain HTTP see it.
 * This is the "drop-in" promise: an existing registry directory keeps working, and back.
 */
class DistributionInteropIT {
    @TempDir
    Path work;
    private Path store;
    private Skopeo skopeo;

    @BeforeEach
    void setUp() throws Exception {
        store = work.resolve("store");
        skopeo = Skopeo.in(work.resolve("skopeo"));
    }

    @Test
    void stevedoreServesAnImageDockerRegistryStored() throws Exception {
        OciImage image = OciLayoutWriter.write(work.resolve("source"), "v1", 3, 11);
        try (DistributionProcess distribution = DistributionProcess.start(store, work.resolve("distribution"))) {
            push("docker://" + distribution.hostPort() + "/interop/from-distribution:v1");
        }

        try (Registry stevedore = Registry.builder().storage(FilesystemDriver.at(store)).start()) {
            String remote = "docker://" + stevedore.hostPort() + "/interop/from-distribution:v1";
            assertPullsIdentical(image, remote);
            RegistryHttp http = new RegistryHttp(stevedore.url());
            assertEquals(List.of("v1"), RegistryHttp.sortedTexts(
                    http.json("/v2/interop/from-distribution/tags/list").path("tags")));
            assertEquals(List.of("interop/from-distribution"), RegistryHttp.sortedTexts(
                    http.json("/v2/_catalog").path("repositories")));
        }
    }

    @Test
    void dockerRegistryServesAnImageStevedoreStored() throws Exception {
        OciImage image = OciLayoutWriter.write(work.resolve("source"), "v1", 3, 12);
        try (Registry stevedore = Registry.builder().storage(FilesystemDriver.at(store)).start()) {
            push("docker://" + stevedore.hostPort() + "/interop/from-stevedore:v1");
        }

        try (DistributionProcess distribution = DistributionProcess.start(store, work.resolve("distribution"))) {
            String remote = "docker://" + distribution.hostPort() + "/interop/from-stevedore:v1";
            assertPullsIdentical(image, remote);
            RegistryHttp http = new RegistryHttp(distribution.url());
            assertEquals(List.of("v1"), RegistryHttp.sortedTexts(
                    http.json("/v2/interop/from-stevedore/tags/list").path("tags")), distribution::log);
            assertEquals(List.of("interop/from-stevedore"), RegistryHttp.sortedTexts(
                    http.json("/v2/_catalog").path("repositories")), distribution::log);
        }
    }

    @Test
    void dockerRegistryServesABlobUploadedToStevedoreInChunks() throws Exception {
        byte[] blob = randomBytes(5_000_000, 13);
        String digest = Digests.sha256(blob);
        try (Registry stevedore = Registry.builder().storage(FilesystemDriver.at(store)).start()) {
            RegistryHttp http = new RegistryHttp(stevedore.url());
            URI upload = startUpload(http, "interop/chunked");
            upload = patch(http, upload, blob, 0, 1_000_000);
            upload = patch(http, upload, blob, 1_000_000, 3_500_000); // one chunk over 2 MiB
            upload = patch(http, upload, blob, 3_500_000, blob.length);
            HttpResponse<byte[]> done = http.send(HttpRequest.newBuilder(withDigest(upload, digest))
                    .PUT(BodyPublishers.noBody()));
            assertEquals(201, done.statusCode(), () -> new String(done.body()));
            assertEquals(digest, done.headers().firstValue("Docker-Content-Digest").orElse(""));
        }

        try (DistributionProcess distribution = DistributionProcess.start(store, work.resolve("distribution"))) {
            RegistryHttp http = new RegistryHttp(distribution.url());
            HttpResponse<byte[]> response = http.get("/v2/interop/chunked/blobs/" + digest, "*/*");
            assertEquals(200, response.statusCode(), () -> new String(response.body()) + distribution.log());
            assertArrayEquals(blob, response.body());
            assertEquals(digest, response.headers().firstValue("Docker-Content-Digest").orElse(""));
        }
    }

    @Test
    void stevedoreCompletesAnUploadDockerRegistryStarted() throws Exception {
        byte[] blob = randomBytes(200_000, 14);
        String digest = Digests.sha256(blob);
        URI upload;
        try (DistributionProcess distribution = DistributionProcess.start(store, work.resolve("distribution"))) {
            RegistryHttp http = new RegistryHttp(distribution.url());
            upload = patch(http, startUpload(http, "interop/resumed"), blob, 0, 120_000);
        }

        try (Registry stevedore = Registry.builder().storage(FilesystemDriver.at(store)).start()) {
            RegistryHttp http = new RegistryHttp(stevedore.url());
            // Same path, other server: distribution's upload id names the session in the shared store.
            URI resumed = http.resolve(upload.getRawPath());
            HttpResponse<byte[]> status = http.send(HttpRequest.newBuilder(resumed).GET());
            assertEquals(204, status.statusCode(), () -> new String(status.body()));
            assertEquals("0-119999", status.headers().firstValue("Range").orElse(""));
            resumed = patch(http, resumed, blob, 120_000, blob.length);
            HttpResponse<byte[]> done = http.send(HttpRequest.newBuilder(withDigest(resumed, digest))
                    .PUT(BodyPublishers.noBody()));
            assertEquals(201, done.statusCode(), () -> new String(done.body()));
            assertArrayEquals(blob, http.getOk("/v2/interop/resumed/blobs/" + digest, "*/*"));
        }
        String id = upload.getRawPath().substring(upload.getRawPath().lastIndexOf('/') + 1);
        Path session = store.resolve("docker/registry/v2/repositories/interop/resumed/_uploads").resolve(id);
        assertFalse(Files.exists(session), "session directory left behind, with distribution's hash states: " + session);
    }

    @Test
    void stevedoreIndexesTheCatalogOfAStoreDockerRegistryWroteOnFirstUse() throws Exception {
        OciLayoutWriter.write(work.resolve("source"), "v1", 1, 15);
        // "-" sorts before "/": the index must keep the catalog's name order for nested names.
        List<String> pushed = List.of("interop/a", "interop/a/b", "interop/a-b", "zeta");
        try (DistributionProcess distribution = DistributionProcess.start(store, work.resolve("distribution"))) {
            for (String name : pushed) push("docker://" + distribution.hostPort() + "/" + name + ":v1");
            startUpload(new RegistryHttp(distribution.url()), "interop/upload-only"); // no repository yet
        }
        Path index = store.resolve("docker/registry/v2/stevedore/catalog");
        assertFalse(Files.exists(index), "distribution wrote no catalog index");

        List<String> expected = pushed.stream().sorted().toList();
        try (Registry stevedore = Registry.builder().storage(FilesystemDriver.at(store)).start()) {
            RegistryHttp http = new RegistryHttp(stevedore.url());
            assertEquals(expected, pagesOfOne(http));
            assertTrue(Files.exists(index.resolve("built")), "index marked built");
            try (var entries = Files.list(index.resolve("repositories"))) {
                assertEquals(4, entries.count());
            }
            push("docker://" + stevedore.hostPort() + "/interop/from-stevedore:v1");
            assertEquals(List.of("interop/a", "interop/a-b", "interop/a/b", "interop/from-stevedore", "zeta"),
                    pagesOfOne(http));
        }
        try (DistributionProcess distribution = DistributionProcess.start(store, work.resolve("distribution"))) {
            assertEquals(List.of("interop/a", "interop/a-b", "interop/a/b", "interop/from-stevedore", "zeta"),
                    RegistryHttp.sortedTexts(new RegistryHttp(distribution.url()).json("/v2/_catalog")
                            .path("repositories")), distribution::log);
        }
    }

    /** The whole catalog in pages of one repository, each asked for after the last one seen. */
    private static List<String> pagesOfOne(RegistryHttp http) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        String query = "/v2/_catalog?n=1";
        for (int i = 0; i < 20; i++) {
            var page = http.json(query).path("repositories");
            if (page.isEmpty()) return names;
            assertEquals(1, page.size());
            names.add(page.get(0).asText());
            query = "/v2/_catalog?n=1&last=" + java.net.URLEncoder.encode(page.get(0).asText(), "UTF-8");
        }
        throw new AssertionError("more pages than repositories: " + names);
    }

    private void push(String remote) {
        skopeo.copy("oci:" + work.resolve("source") + ":v1", remote, "--preserve-digests", "--dest-tls-verify=false");
    }

    /** Pulls with skopeo into a fresh layout; digests, manifest bytes and {@code inspect --raw} must match. */
    private void assertPullsIdentical(OciImage image, String remote) throws Exception {
        Path copy = work.resolve("copy");
        skopeo.copy(remote, "oci:" + copy + ":v1", "--src-tls-verify=false");
        OciImage pulled = OciLayoutReader.read(copy, "v1");
        image.assertSameAs(pulled);
        assertArrayEquals(image.manifest(), skopeo.inspectRaw(remote), "inspect --raw");
    }

    private static URI startUpload(RegistryHttp http, String repository) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                http.resolve("/v2/" + repository + "/blobs/uploads/")).POST(BodyPublishers.noBody()));
        assertEquals(202, response.statusCode(), () -> new String(response.body()));
        return location(http, response);
    }

    /** PATCHes {@code blob[from, to)} with a Content-Range; returns the next upload location. */
    private static URI patch(RegistryHttp http, URI upload, byte[] blob, int from, int to) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(upload)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", from + "-" + (to - 1))
                .method("PATCH", BodyPublishers.ofByteArray(blob, from, to - from)));
        assertEquals(202, response.statusCode(), () -> new String(response.body()));
        assertEquals("0-" + (to - 1), response.headers().firstValue("Range").orElse(""), "Range after PATCH");
        return location(http, response);
    }

    private static URI location(RegistryHttp http, HttpResponse<byte[]> response) {
        String location = response.headers().firstValue("Location").orElse("");
        assertTrue(!location.isEmpty(), "no Location header");
        return http.resolve(location);
    }

    private static URI withDigest(URI upload, String digest) {
        String separator = upload.getRawQuery() == null ? "?" : "&";
        return URI.create(upload + separator + "digest=" + digest);
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
