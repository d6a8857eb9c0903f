package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.storage.s3.S3Http.header;
import static org.stevedore.storage.s3.S3Http.pushBlob;
import static org.stevedore.storage.s3.S3Http.send;
import static org.stevedore.storage.s3.S3Http.sha256;
import static org.stevedore.storage.s3.S3Http.text;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;

/**
 * How many S3 requests each registry operation costs, counted by a {@link FaultProxy} (passing
 * everything) between the driver and S3Proxy, with upper bounds so that a change that adds round
 * trips fails here. What this node's presence cache saves depends on the timing: a link seen in
 * the last five seconds is not read again, a use of a blob written in the last two seconds is not
 * written again (see {@code PresenceCache}), so a manifest push costs a fast machine fewer
 * requests than a slow one. Its checks of the blobs it names are therefore counted per blob
 * ({@link #blobChecks}), and the bound is on the rest. The one bound that counts on the cache is
 * that of a read right after the same read (well inside five seconds on any machine).
 */
class S3RoundTripTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    private static final String REPO = "/v2/team/app";
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCTETS = "application/octet-stream";
    /** How long the proxy holds each request in the test of overlapping requests: the window in which they overlap. */
    private static final long DELAY_MILLIS = 2000;

    private FaultProxy proxy;
    private S3Driver driver;
    private Registry registry;

    @BeforeEach
    void start() throws Exception {
        proxy = new FaultProxy(S3.requireEndpoint().uri());
        driver = S3Driver.create(S3.settingsWith(Map.of("regionendpoint", proxy.endpoint().toString())).withRedirect(false));
        registry = Registry.builder().storage(driver).start();
        // A driver probes the store once, at its first listing, for whether it keeps objects as
        // files (S3Listing): a cost per driver, not per operation, so it is paid before counting.
        driver.list("/");
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        driver.close();
        proxy.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** One request that must answer {@code status}; returns the response. */
    private HttpResponse<byte[]> call(int status, String method, String path, byte[] body, String... headers) {
        HttpResponse<byte[]> response = send(registry, method, path, body, headers);
        assertEquals(status, response.statusCode(), () -> method + " " + path + ": " + text(response));
        return response;
    }

    /** Runs {@code operation} and returns the S3 requests it made (printed, for the curious). */
    private List<String> requestsOf(String name, Runnable operation) {
        proxy.takeLog();
        operation.run();
        List<String> log = proxy.takeLog();
        System.out.println("== " + name + ": " + log.size() + " S3 requests");
        log.forEach(line -> System.out.println("   " + line));
        return log;
    }

    private static void atMost(int bound, List<String> requests, String operation) {
        assertTrue(requests.size() <= bound, () -> operation + ": " + requests.size() + " S3 requests, at most " + bound
                + " expected: " + requests);
    }

    /**
     * The requests that check the blobs a manifest push names, asserting that each blob costs at
     * most: the read of its link here (unless this node saw the link in the last five seconds),
     * the write of its use and then the HEAD of its bytes (unless this node wrote its use in the
     * last two seconds; never the HEAD without the use before it: see {@code BlobService#useIfStored}).
     * A slow machine sees all three for every blob, a fast one fewer.
     */
    private static List<String> blobChecks(List<String> requests, List<String> digests, String operation) {
        List<String> checks = new ArrayList<>();
        for (String digest : digests) {
            String hex = digest.substring("sha256:".length());
            String prefix = "/" + hex.substring(0, 2) + "/" + hex;
            List<String> link = matching(requests, "GET ", "/_layers/sha256/" + hex + "/link");
            List<String> use = matching(requests, "PUT ", "/blobs/sha256" + prefix + "/lastused");
            List<String> bytes = matching(requests, "HEAD ", "/blobs/sha256" + prefix + "/data");
            assertTrue(link.size() <= 1 && use.size() <= 1 && bytes.size() <= 1,
                    () -> operation + ": blob " + digest + " checked more than once: " + requests);
            assertTrue(bytes.isEmpty() || (!use.isEmpty() && requests.indexOf(use.get(0)) < requests.indexOf(bytes.get(0))),
                    () -> operation + ": blob " + digest + "'s bytes checked without its use written first: " + requests);
            checks.addAll(link);
            checks.addAll(use);
            checks.addAll(bytes);
        }
        return checks;
    }

    private static List<String> matching(List<String> requests, String method, String pathEnd) {
        return requests.stream().filter(r -> r.startsWith(method) && r.endsWith(pathEnd)).toList();
    }

    /** {@code requests} less {@code some}. */
    private static List<String> without(List<String> requests, List<String> some) {
        List<String> rest = new ArrayList<>(requests);
        rest.removeAll(some);
        return rest;
    }

    private static byte[] manifest(String configDigest, int configSize, List<byte[]> layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + configSize + "},\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
                    .append(sha256(layers.get(i))).append("\",\"size\":").append(layers.get(i).length).append('}');
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A chunked upload whose PATCHes send parts: each PATCH after the first reads the tail back,
     * sends a part and a new tail and commits the placeholder. The commits are conditional writes
     * (see ConditionalWrites), which cost no request of their own: the bounds are the counts from
     * before that guard against concurrent PATCHes through two nodes (10, 12, 12 and 22, measured
     * on the same code without it).
     */
    @Test
    void chunksThatSendPartsCostNoExtraRequests() {
        int part = S3DriverSettings.MIN_CHUNK_SIZE;
        byte[] blob = random(3 * (part + 100_000), 9);
        String[] location = {header(call(202, "POST", REPO + "/blobs/uploads/", new byte[0]), "Location")};
        int[] counts = new int[3];
        for (int i = 0; i < 3; i++) {
            int from = i * (part + 100_000);
            byte[] chunk = Arrays.copyOfRange(blob, from, from + part + 100_000);
            counts[i] = requestsOf("PATCH " + (i + 1) + " with a part", () -> location[0] = header(call(202, "PATCH", location[0],
                    chunk, "Content-Range", from + "-" + (from + chunk.length - 1), "Content-Type", OCTETS), "Location")).size();
        }
        String separator = location[0].contains("?") ? "&" : "?";
        List<String> put = requestsOf("upload PUT ?digest= of the parts",
                () -> call(201, "PUT", location[0] + separator + "digest=" + sha256(blob), new byte[0]));
        System.out.println("== chunked with parts: " + Arrays.toString(counts) + " then " + put.size());
        // 10, 12, 12 and 22 before the session check stopped stating the data of a young session,
        // a miss became one HEAD and the writer state stopped being rewritten after each part.
        assertTrue(counts[0] <= 7, "first PATCH with a part: " + counts[0] + " S3 requests, at most 7 expected");
        for (int i = 1; i < 3; i++) {
            assertTrue(counts[i] <= 10, "PATCH " + (i + 1) + " with a part: " + counts[i] + " S3 requests, at most 10 expected");
        }
        atMost(23, put, "upload PUT of parts"); // +3: the session marker and the catalog entry, as above
    }

    @Test
    void eachOperationCostsFewS3Requests() {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        List<byte[]> layers = List.of(random(1000, 1), random(2000, 2), random(3000, 3));
        List<String> monolithic = requestsOf("monolithic upload", () -> pushBlob(registry, "team/app", layers.get(0)));
        pushBlob(registry, "team/app", layers.get(1));
        String configDigest = pushBlob(registry, "team/app", config);

        // A chunked upload: POST, two PATCHes, PUT ?digest=.
        byte[] chunked = layers.get(2);
        String[] location = {null};
        List<String> post = requestsOf("upload POST",
                () -> location[0] = header(call(202, "POST", REPO + "/blobs/uploads/", new byte[0]), "Location"));
        List<String> patch1 = requestsOf("upload PATCH 1", () -> location[0] = header(call(202, "PATCH", location[0],
                Arrays.copyOfRange(chunked, 0, 1500), "Content-Range", "0-1499", "Content-Type", OCTETS), "Location"));
        List<String> patch2 = requestsOf("upload PATCH 2", () -> location[0] = header(call(202, "PATCH", location[0],
                Arrays.copyOfRange(chunked, 1500, 3000), "Content-Range", "1500-2999", "Content-Type", OCTETS), "Location"));
        String separator = location[0].contains("?") ? "&" : "?";
        List<String> put = requestsOf("upload PUT ?digest=",
                () -> call(201, "PUT", location[0] + separator + "digest=" + sha256(chunked), new byte[0]));

        byte[] manifest = manifest(configDigest, config.length, layers);
        String manifestDigest = sha256(manifest);
        List<String> putNew = requestsOf("manifest PUT in a new repository (3 layers + config)",
                () -> call(201, "PUT", REPO + "/manifests/v1", manifest, "Content-Type", OCI_MANIFEST));
        List<String> putAgain = requestsOf("manifest PUT again, tag v2",
                () -> call(201, "PUT", REPO + "/manifests/v2", manifest, "Content-Type", OCI_MANIFEST));

        String blob = REPO + "/blobs/" + sha256(layers.get(1));
        List<String> headBlob = requestsOf("HEAD blob", () -> call(200, "HEAD", blob, new byte[0]));
        List<String> headBlobAgain = requestsOf("HEAD blob again", () -> call(200, "HEAD", blob, new byte[0]));
        List<String> getBlob = requestsOf("GET blob", () -> call(200, "GET", blob, new byte[0]));
        List<String> getByTag = requestsOf("GET manifest by tag",
                () -> call(200, "GET", REPO + "/manifests/v1", new byte[0], "Accept", OCI_MANIFEST));
        List<String> headByTag = requestsOf("HEAD manifest by tag",
                () -> call(200, "HEAD", REPO + "/manifests/v1", new byte[0], "Accept", OCI_MANIFEST));
        List<String> getByDigest = requestsOf("GET manifest by digest",
                () -> call(200, "GET", REPO + "/manifests/" + manifestDigest, new byte[0], "Accept", OCI_MANIFEST));
        List<String> tags = requestsOf("tag list", () -> call(200, "GET", REPO + "/tags/list", new byte[0]));
        List<String> missing = requestsOf("HEAD of a missing blob",
                () -> call(404, "HEAD", REPO + "/blobs/" + sha256(new byte[7]), new byte[0]));

        // Before the presence cache and the side-by-side manifest checks, a manifest push took 22
        // requests one after the other, a HEAD of a blob 2 every time, a missing one 2.
        // Since sessions are counted in storage (the bound holds across nodes): +2 at a session's
        // start (one listing of the open sessions' markers, capped at the bound, and the PUT of
        // its own) and +2 at its end (the marker's DELETE and the listing any delete makes), and
        // +1 for the catalog index entry of a repository this node has not written for 5 minutes.
        atMost(18, monolithic, "monolithic upload");
        atMost(3, post, "upload POST");
        // A PATCH: the session's start time, the data's size (a HEAD), the PUT of the bytes, and
        // from the second on the one before's stored bytes; no stat of the data while the session
        // is younger than the idle timeout (before: 5 and 5).
        atMost(3, patch1, "first PATCH");
        atMost(4, patch2, "second PATCH");
        atMost(14, put, "upload PUT");
        // Whether a new blob's bytes exist already is one HEAD: a blob's data is a file, so a
        // miss needs no listing to rule out a directory of that name.
        for (List<String> publishing : List.of(monolithic, put)) {
            assertTrue(publishing.stream().noneMatch(r -> r.contains("list-type") && r.contains("%2Fblobs%2F")),
                    () -> "a listing below the blob store: " + publishing);
        }
        // Before a push's blob checks were counted apart, one bound covered them: 15 and 12, which
        // a loaded machine exceeded (16) when links and uses had left the presence cache. Now:
        // besides those checks, a new repository's push costs the manifest's bytes, the stat of its
        // _manifests (a HEAD and a listing), the referrers marker, the revision link and the tag's
        // two links; a push again the revision and tag links, and the bytes once their use is
        // older than two seconds.
        List<String> named = List.of(configDigest, sha256(layers.get(0)), sha256(layers.get(1)), sha256(layers.get(2)));
        List<String> putNewRest = without(putNew, blobChecks(putNew, named, "manifest PUT in a new repository"));
        atMost(7, putNewRest, "manifest PUT in a new repository, besides its blob checks");
        List<String> putAgainRest = without(putAgain, blobChecks(putAgain, named, "manifest PUT"));
        atMost(4, putAgainRest, "manifest PUT, besides its blob checks");
        assertTrue(putAgain.stream().noneMatch(r -> r.startsWith("DELETE") || r.endsWith(" copy")
                || r.contains("list-type")), () -> "a manifest PUT copies, deletes or lists nothing: " + putAgain);
        atMost(2, headBlob, "HEAD blob"); // its link, its bytes
        atMost(0, headBlobAgain, "HEAD blob seen just before");
        atMost(1, getBlob, "GET blob seen just before");
        atMost(2, getByTag, "GET manifest by tag");
        atMost(2, headByTag, "HEAD manifest by tag");
        atMost(1, getByDigest, "GET manifest by digest");
        atMost(1, tags, "tag list");
        atMost(1, missing, "HEAD of a missing blob");
    }

    @Test
    void aColdBlobGetReadsTheLinkWhileOpeningTheBytes() throws Exception {
        byte[] layer = random(4000, 4);
        pushBlob(registry, "team/app", layer);
        // Another node: nothing about the blob is cached there.
        try (S3Driver other = S3Driver.create(driver.settings()); Registry node = Registry.builder().storage(other).start()) {
            other.list("/");
            proxy.takeLog();
            proxy.takeMostInFlight();
            proxy.failEverything(new FaultProxy.Fault.Delay(DELAY_MILLIS));
            HttpResponse<byte[]> response;
            try {
                response = send(node, "GET", REPO + "/blobs/" + sha256(layer), new byte[0]);
            } finally {
                proxy.failEverything(null);
            }
            List<String> requests = proxy.takeLog();
            int together = proxy.takeMostInFlight();
            assertEquals(200, response.statusCode(), () -> text(response));
            assertTrue(Arrays.equals(layer, response.body()), "the blob's bytes");
            atMost(2, requests, "GET blob on a node that never saw it"); // its link, its bytes: no stat
            // The proxy holds each request DELAY_MILLIS: sent side by side, both are held at once;
            // one after the other, never. (This once compared the GET's time with two delays, which
            // a loaded machine's overhead could exceed.)
            assertEquals(2, together, () -> "S3 requests held at once during a cold GET: " + requests);
        }
    }

    @Test
    void smallWritesSendTheirBodyAtOnceAndOnlyLargeBodiesWaitForAContinue() {
        byte[] config = "{\"architecture\":\"arm64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = random(driver.settings().chunkSizeBytes() + 1000, 5);
        List<String> blobPush = requestsOf("push of a blob larger than a part", () -> pushBlob(registry, "team/app", layer));
        String configDigest = pushBlob(registry, "team/app", config);
        byte[] manifest = manifest(configDigest, config.length, List.of(layer));
        List<String> manifestPut = requestsOf("manifest PUT", () -> call(201, "PUT", REPO + "/manifests/v1", manifest,
                "Content-Type", OCI_MANIFEST));

        // A layer pushed whole with its length is one PUT straight to the blob's key (megabytes:
        // asking first saves sending them to a store that would refuse). A link or a manifest is
        // a few hundred bytes: asking first only costs a round trip.
        List<String> large = blobPush.stream().filter(line -> line.startsWith("PUT ") && line.contains("/blobs/sha256/")
                && line.contains("/data")).toList();
        assertEquals(1, large.size(), () -> "one PUT of the blob's bytes: " + blobPush);
        assertTrue(large.get(0).endsWith(" expect"), () -> "the blob's bytes should wait for 100 Continue: " + blobPush);
        assertTrue(blobPush.stream().noneMatch(line -> line.contains("partNumber=") || line.contains("uploads=")
                || line.contains(".s3-writer.json")), () -> "no multipart upload, no writer state: " + blobPush);
        List<String> small = blobPush.stream().filter(line -> !large.contains(line)).toList();
        assertTrue(small.stream().noneMatch(line -> line.endsWith(" expect")), () -> "small requests: " + small);
        assertTrue(manifestPut.stream().anyMatch(line -> line.startsWith("PUT ")), () -> "manifest PUT: " + manifestPut);
        assertTrue(manifestPut.stream().noneMatch(line -> line.endsWith(" expect")), () -> "manifest PUT: " + manifestPut);
    }
}
