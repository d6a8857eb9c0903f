package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * docker-registry and Stevedore serve one store side by side and must give the same answers to the
 * same read requests: status, digests, bodies, error codes. The store is filled through
 * docker-registry with tags, an index, a nested repository, a blob-only repository and a manifest
 * deleted through the API, the states an existing deployment's directory is found in.
 *
 * <p>Deliberate differences are left out: Stevedore pages tag lists ({@code ?n=}, as the OCI spec
 * says; 2.8.2 ignores {@code n} there), and it serves OCI manifests to a request without
 * {@code Accept} or with a wildcard, where 2.8.2 answers 404; error messages are free text, and
 * 2.8.2 ends JSON documents with a newline. A read of a name, tag or digest outside the grammar is
 * a 404 from both, only its body differs: 2.8.2's route does not match, so it sends its plain
 * {@code 404 page not found}, where Stevedore sends the error JSON saying what is unknown and why.
 * (A digest 2.8.2's route takes but cannot parse, such as {@code sha256:zz}, is its 400
 * {@code DIGEST_INVALID} on a blob read; Stevedore answers every such read 404, as the spec's pull
 * section asks.)
 */
class DistributionParityIT {
    private static final String OCI_ACCEPT = OciImage.MANIFEST_TYPE + "," + OciLayoutWriter.INDEX_TYPE;
    private static final String DOCKER_ONLY = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String UNKNOWN_DIGEST = "sha256:" + "0".repeat(64);

    @TempDir
    Path work;
    private final List<String> differences = new ArrayList<>();
    private RegistryHttp reference;
    private RegistryHttp stevedore;
    private OciImage app;
    private OciIndex multi;
    private OciImage deleted;
    private String loneDigest;

    @Test
    void answersReadRequestsLikeDockerRegistryOverTheSameStore() throws Exception {
        Path store = work.resolve("store");
        try (DistributionProcess distribution = DistributionProcess.start(store, work.resolve("distribution"))) {
            reference = new RegistryHttp(distribution.url());
            fillThrough(distribution);
            try (Registry registry = Registry.builder().storage(FilesystemDriver.at(store)).start()) {
                stevedore = new RegistryHttp(registry.url());
                compareListings();
                compareManifests();
                compareBlobs();
                compareNoRoutes();
            }
            assertEquals(List.of(), differences, () -> "answers differ from docker-registry's; its log:\n"
                    + distribution.log());
        }
    }

    @Test
    void answersUploadMistakesLikeDockerRegistry() throws Exception {
        Path store = work.resolve("store");
        try (DistributionProcess distribution = DistributionProcess.start(store, work.resolve("distribution"));
             Registry registry = Registry.builder().storage(FilesystemDriver.at(store)).start()) {
            List<String> expected = uploadWithMistakes(new RegistryHttp(distribution.url()), "interop/mistakes-a");
            List<String> actual = uploadWithMistakes(new RegistryHttp(registry.url()), "interop/mistakes-b");
            assertEquals(expected, actual, distribution::log);
        }
    }

    /**
     * An upload in a ranged chunk and an unranged one, then completed with a wrong digest; what each
     * step answered (status, error codes, Range). Each server's latest Location is followed.
     * (Out-of-order chunks are left out: 2.8.2 appends them, ignoring Content-Range; Stevedore
     * answers 416 as the spec says.)
     */
    private static List<String> uploadWithMistakes(RegistryHttp http, String repository) throws Exception {
        byte[] blob = new byte[3000];
        new Random(25).nextBytes(blob);
        List<String> outcomes = new ArrayList<>();
        HttpResponse<byte[]> started = http.send(HttpRequest.newBuilder(
                http.resolve("/v2/" + repository + "/blobs/uploads/")).POST(BodyPublishers.noBody()));
        outcomes.add("start " + outcome(started));
        HttpResponse<byte[]> first = http.send(chunk(location(http, started), blob, 0, 1000)
                .header("Content-Range", "0-999"));
        outcomes.add("ranged chunk " + outcome(first));
        HttpResponse<byte[]> second = http.send(chunk(location(http, first), blob, 1000, 2000));
        outcomes.add("unranged chunk " + outcome(second));
        URI upload = location(http, second);
        outcomes.add("status " + outcome(http.send(HttpRequest.newBuilder(upload).GET())));
        String separator = upload.getRawQuery() == null ? "?" : "&";
        outcomes.add("wrong digest " + outcome(http.send(HttpRequest.newBuilder(
                URI.create(upload + separator + "digest=" + UNKNOWN_DIGEST))
                .header("Content-Type", "application/octet-stream")
                .PUT(BodyPublishers.ofByteArray(blob, 2000, 1000)))));
        // The session is gone: both answer 404; 2.8.2's code there is BLOB_UPLOAD_INVALID, Stevedore's
        // BLOB_UPLOAD_UNKNOWN as the spec names it, so only the status is compared.
        outcomes.add("status after failure " + http.send(HttpRequest.newBuilder(upload).GET()).statusCode());
        return outcomes;
    }

    private static URI location(RegistryHttp http, HttpResponse<byte[]> response) {
        return http.resolve(response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no Location: " + response.statusCode() + " " + new String(response.body()))));
    }

    private static HttpRequest.Builder chunk(URI upload, byte[] blob, int from, int to) {
        return HttpRequest.newBuilder(upload)
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", BodyPublishers.ofByteArray(blob, from, to - from));
    }

    private static String outcome(HttpResponse<byte[]> response) {
        return response.statusCode() + " " + (response.statusCode() >= 400 ? errorCodes(response.body()) : "")
                + " Range: " + response.headers().firstValue("Range").orElse("(none)");
    }

    /** Tags, an index, a nested repository, a deleted manifest and a repository holding only a blob. */
    private void fillThrough(DistributionProcess distribution) throws Exception {
        Skopeo skopeo = Skopeo.in(work.resolve("skopeo"));
        app = OciLayoutWriter.write(work.resolve("app"), "v1", 3, 21);
        multi = OciLayoutWriter.writeIndex(work.resolve("multi"), "v1", List.of("amd64", "arm64"), 22);
        deleted = OciLayoutWriter.write(work.resolve("deleted"), "v1", 2, 23);
        String host = "docker://" + distribution.hostPort();
        for (String target : List.of("/interop/app:v1", "/interop/app:v2", "/interop/app/nested:v1")) {
            skopeo.copy("oci:" + work.resolve("app") + ":v1", host + target,
                    "--preserve-digests", "--dest-tls-verify=false");
        }
        skopeo.copy("oci:" + work.resolve("multi") + ":v1", host + "/interop/multi:latest",
                "--all", "--preserve-digests", "--dest-tls-verify=false");
        skopeo.copy("oci:" + work.resolve("deleted") + ":v1", host + "/interop/deleted:v1",
                "--preserve-digests", "--dest-tls-verify=false");

        HttpResponse<byte[]> delete = reference.send(HttpRequest.newBuilder(
                reference.resolve("/v2/interop/deleted/manifests/" + deleted.manifestDigest())).DELETE());
        assertEquals(202, delete.statusCode(), () -> new String(delete.body()) + distribution.log());

        byte[] loneBlob = new byte[5000];
        new Random(24).nextBytes(loneBlob);
        loneDigest = Digests.sha256(loneBlob);
        // distribution 2.x has no single-POST upload: POST opens the session, PUT sends the bytes.
        HttpResponse<byte[]> started = reference.send(HttpRequest.newBuilder(
                reference.resolve("/v2/interop/blobonly/blobs/uploads/")).POST(BodyPublishers.noBody()));
        assertEquals(202, started.statusCode(), () -> new String(started.body()) + distribution.log());
        String location = started.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> lone = reference.send(HttpRequest.newBuilder(
                reference.resolve(location + "&digest=" + loneDigest)).PUT(BodyPublishers.ofByteArray(loneBlob)));
        assertEquals(201, lone.statusCode(), () -> new String(lone.body()) + distribution.log());
    }

    private void compareListings() throws Exception {
        compare("GET", "/v2/", "*/*", null);
        compare("GET", "/v2/_catalog", "*/*", null);
        compare("GET", "/v2/_catalog?n=2", "*/*", null);
        compare("GET", "/v2/_catalog?n=2&last=interop%2Fapp%2Fnested", "*/*", null);
        for (String name : List.of("app", "app/nested", "multi", "deleted", "blobonly", "never")) {
            compare("GET", "/v2/interop/" + name + "/tags/list", "*/*", null);
        }
    }

    private void compareManifests() throws Exception {
        String appDigest = app.manifestDigest();
        for (String method : List.of("GET", "HEAD")) {
            compare(method, "/v2/interop/app/manifests/v1", OCI_ACCEPT, null);
            compare(method, "/v2/interop/app/manifests/" + appDigest, OCI_ACCEPT, null);
            compare(method, "/v2/interop/app/nested/manifests/v1", OCI_ACCEPT, null);
            compare(method, "/v2/interop/multi/manifests/latest", OCI_ACCEPT, null);
            compare(method, "/v2/interop/multi/manifests/" + multi.images().get(1).manifestDigest(), OCI_ACCEPT, null);
            compare(method, "/v2/interop/app/manifests/nope", OCI_ACCEPT, null);
            compare(method, "/v2/interop/multi/manifests/" + appDigest, OCI_ACCEPT, null);
            compare(method, "/v2/interop/never/manifests/v1", OCI_ACCEPT, null);
            compare(method, "/v2/interop/deleted/manifests/v1", OCI_ACCEPT, null);
            compare(method, "/v2/interop/deleted/manifests/" + deleted.manifestDigest(), OCI_ACCEPT, null);
            compare(method, "/v2/interop/app/manifests/v1", DOCKER_ONLY, null);
        }
    }

    private void compareBlobs() throws Exception {
        String layer = app.layerDigests().get(0);
        for (String method : List.of("GET", "HEAD")) {
            for (String digest : app.blobDigests()) compare(method, "/v2/interop/app/blobs/" + digest, "*/*", null);
            compare(method, "/v2/interop/app/blobs/" + layer, "*/*", "bytes=10-99");
            compare(method, "/v2/interop/app/blobs/" + layer, "*/*", "bytes=100-");
            compare(method, "/v2/interop/multi/blobs/" + layer, "*/*", null);
            compare(method, "/v2/interop/deleted/blobs/" + deleted.layerDigests().get(0), "*/*", null);
            compare(method, "/v2/interop/blobonly/blobs/" + loneDigest, "*/*", null);
            compare(method, "/v2/interop/app/blobs/" + UNKNOWN_DIGEST, "*/*", null);
            compare(method, "/v2/interop/never/blobs/" + loneDigest, "*/*", null);
        }
    }

    /** Paths that are no route: both answer the same plain 404; malformed parts: both 404. */
    private void compareNoRoutes() throws Exception {
        for (String method : List.of("GET", "HEAD")) {
            for (String path : List.of("/v3/", "/nowhere", "/v2/interop/app/bogus/x", "/v2/interop/app/tags")) {
                compare(method, path, "*/*", null);
                String mine = stevedore.send(request(stevedore, method, path, "*/*", null)).headers()
                        .firstValue("Content-Type").orElse("(none)");
                String theirs = reference.send(request(reference, method, path, "*/*", null)).headers()
                        .firstValue("Content-Type").orElse("(none)");
                if (!mine.equals(theirs)) differences.add(method + " " + path + ": Content-Type " + mine + ", docker-registry " + theirs);
            }
            for (String path : List.of("/v2/interop/app/manifests/.INVALID_MANIFEST_NAME", "/v2/Interop/app/manifests/v1",
                    "/v2/interop/app/blobs/notadigest", "/v2/interop/App/tags/list")) {
                int mine = stevedore.send(request(stevedore, method, path, "*/*", null)).statusCode();
                int theirs = reference.send(request(reference, method, path, "*/*", null)).statusCode();
                if (mine != theirs) differences.add(method + " " + path + ": status " + mine + ", docker-registry " + theirs);
            }
        }
    }

    /** Sends the request to both servers and records every way the answers differ. */
    private void compare(String method, String path, String accept, String range) throws Exception {
        HttpResponse<byte[]> expected = reference.send(request(reference, method, path, accept, range));
        HttpResponse<byte[]> actual = stevedore.send(request(stevedore, method, path, accept, range));
        String what = method + " " + path + (range == null ? "" : " Range: " + range) + " (Accept: " + accept + ")";
        if (expected.statusCode() != actual.statusCode()) {
            differences.add(what + ": status " + actual.statusCode() + ", docker-registry " + expected.statusCode()
                    + "; bodies " + new String(actual.body()) + " | " + new String(expected.body()));
            return;
        }
        // Error bodies are compared by code, JSON documents parsed: their lengths may differ.
        boolean isJson = path.contains("/tags/list") || path.contains("_catalog") || expected.statusCode() >= 400;
        List<String> headers = isJson ? List.of("Docker-Content-Digest", "Link")
                : List.of("Docker-Content-Digest", "Content-Length", "Content-Range");
        for (String header : headers) {
            String mine = actual.headers().firstValue(header).orElse("(none)");
            String theirs = expected.headers().firstValue(header).orElse("(none)");
            if (!mine.equals(theirs)) differences.add(what + ": " + header + " " + mine + ", docker-registry " + theirs);
        }
        if (expected.statusCode() >= 400 && method.equals("GET")) {
            List<String> mine = errorCodes(actual.body());
            List<String> theirs = errorCodes(expected.body());
            if (!mine.equals(theirs)) differences.add(what + ": error codes " + mine + ", docker-registry " + theirs);
        } else if (isJson && method.equals("GET")) {
            JsonNode mine = RegistryHttp.parse(actual.body());
            JsonNode theirs = RegistryHttp.parse(expected.body());
            // 2.8.2 lists an emptied tags directory as "tags":null, Stevedore as []: equal here.
            if (theirs.path("tags").isNull()) ((ObjectNode) theirs).putArray("tags");
            if (!mine.equals(theirs)) differences.add(what + ": body " + mine + ", docker-registry " + theirs);
        } else if (!Arrays.equals(expected.body(), actual.body())) {
            differences.add(what + ": bodies differ (" + actual.body().length + " vs " + expected.body().length + " bytes)");
        }
        if (path.contains("/manifests/") && expected.statusCode() < 400) {
            String mine = actual.headers().firstValue("Content-Type").orElse("(none)");
            String theirs = expected.headers().firstValue("Content-Type").orElse("(none)");
            if (!mine.equals(theirs)) differences.add(what + ": Content-Type " + mine + ", docker-registry " + theirs);
        }
    }

    private static HttpRequest.Builder request(RegistryHttp http, String method, String path, String accept,
                                               String range) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.resolve(path)).header("Accept", accept)
                .method(method, BodyPublishers.noBody());
        if (range != null) request.header("Range", range);
        return request;
    }

    private static List<String> errorCodes(byte[] body) {
        List<String> codes = new ArrayList<>();
        try {
            RegistryHttp.parse(body).path("errors").forEach(error -> codes.add(error.path("code").asText()));
        } catch (Exception notJson) {
            codes.add("(not JSON: " + new String(body) + ")");
        }
        return codes;
    }
}
