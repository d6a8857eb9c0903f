package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stevedore.storage.s3.S3Http.header;
import static org.stevedore.storage.s3.S3Http.send;
import static org.stevedore.storage.s3.S3Http.text;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A blob pushed in one request over HTTP is written straight to its key, hidden until verified:
 * it leaves only the blob, its use marker, its link and the catalog entry; a wrong digest leaves
 * nothing; a push abandoned mid-body (its node hung or killed) has its multipart upload aborted
 * when another node purges the session, and a multipart upload nothing recorded is aborted by the
 * sweep garbage collection runs, while a chunked upload's open upload survives it.
 */
class S3OnePutPushTest {
    private static final int PART = S3DriverSettings.MIN_CHUNK_SIZE; // the extension's chunksize

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private S3DriverSettings settings;
    private S3Driver driver;
    private Registry registry;

    @BeforeEach
    void start() {
        settings = S3.settings().withRedirect(false);
        driver = S3Driver.create(settings);
        registry = Registry.builder().storage(driver).start();
    }

    @AfterEach
    void stop() {
        registry.close();
        driver.close();
    }

    @Test
    void aOnePutPushLeavesOnlyTheBlobItsLinkAndTheCatalogEntry() {
        byte[] bytes = random(3 * PART + 300);
        String digest = S3Http.sha256(bytes);
        for (int push = 0; push < 2; push++) { // the second finds the blob stored and leaves it as it is
            HttpResponse<byte[]> put = send(registry, "PUT", sessionLocation() + "digest=" + digest, bytes,
                    "Content-Type", "application/octet-stream");
            assertEquals(201, put.statusCode(), () -> text(put));
            assertEquals(List.of(), uploadsInProgress(), "no multipart upload left open");
        }
        String hex = digest.substring("sha256:".length());
        String blob = "blobs/sha256/" + hex.substring(0, 2) + "/" + hex;
        assertEquals(List.of(blob + "/data", blob + "/lastused", "repositories/team/app/_layers/sha256/" + hex + "/link",
                "stevedore/catalog/repositories/team0app"), keys());
        assertArrayEquals(bytes, send(registry, "GET", "/v2/team/app/blobs/" + digest, new byte[0]).body());
        assertEquals(201, send(registry, "POST", "/v2/team/app/blobs/uploads/?digest=" + S3Http.sha256(bytes), bytes,
                "Content-Type", "application/octet-stream").statusCode(), "a monolithic POST takes the same path");
    }

    @Test
    void aWrongDigestLeavesNothingAtTheBlobsKey() {
        byte[] bytes = random(2 * PART + 17);
        String claimed = S3Http.sha256(random(10));
        String location = sessionLocation();
        HttpResponse<byte[]> put = send(registry, "PUT", location + "digest=" + claimed, bytes,
                "Content-Type", "application/octet-stream");
        assertEquals(400, put.statusCode(), () -> text(put));
        assertTrue(text(put).contains("DIGEST_INVALID"), () -> text(put));
        assertEquals(List.of(), uploadsInProgress(), "the multipart upload was aborted");
        assertEquals(List.of(), keys(), "no blob, no session left");
        assertEquals(404, send(registry, "GET", "/v2/team/app/blobs/" + claimed, new byte[0]).statusCode());
    }

    @Test
    void purgingTheSessionOfAChunkedPushAbandonedMidBodyAbortsItsUpload() throws Exception {
        // Without a Content-Length the bytes go as a multipart upload of the blob's key.
        abandonMidBody(true, () -> {
            awaitWriterState();
            assertEquals(1, uploadsInProgress().size(), "the push writes its parts to the blob's key");
        });
    }

    @Test
    void aPushOfAnnouncedLengthAbandonedMidBodyLeavesNothing() throws Exception {
        // With a Content-Length the bytes stream as one PUT whose last byte waits for verification.
        abandonMidBody(false, () -> {
            Thread.sleep(2000); // let the registry pass the bytes it has on to the store
            assertEquals(List.of(), uploadsInProgress(), "one PUT, no multipart upload");
        });
    }

    private interface Check {
        void run() throws Exception;
    }

    /**
     * Sends half of a push's body and hangs, as a client behind a dead node would; runs
     * {@code whileHung}, then another node sharing the bucket purges the session; then the client
     * goes away. Nothing is left in progress and nothing shows at the blob's key.
     */
    private void abandonMidBody(boolean chunked, Check whileHung) throws Exception {
        byte[] bytes = random(4 * PART);
        String digest = S3Http.sha256(bytes);
        String location = sessionLocation();
        try (Socket socket = new Socket(registry.url().getHost(), registry.url().getPort())) {
            OutputStream out = socket.getOutputStream();
            int half = 2 * PART + 100;
            out.write(("PUT " + location + "digest=" + digest + " HTTP/1.1\r\nHost: " + registry.hostPort()
                    + "\r\nContent-Type: application/octet-stream\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(half) + "\r\n"
                               : "Content-Length: " + bytes.length + "\r\n\r\n"))
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, half);
            if (chunked) out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            whileHung.run();
            assertEquals(404, send(registry, "HEAD", "/v2/team/app/blobs/" + digest, new byte[0]).statusCode());

            try (S3Driver other = S3Driver.create(settings); Registry node = Registry.builder().storage(other).start()) {
                assertEquals(1, node.service().uploadPurger().purge(Duration.ZERO, false, line -> { }));
            }
            assertEquals(List.of(), uploadsInProgress(), "purging aborted the push's multipart upload");
        }
        for (int i = 0; i < 100 && !keys().isEmpty(); i++) Thread.sleep(100); // the hung request ends
        assertEquals(List.of(), uploadsInProgress());
        assertEquals(List.of(), keys(), "no blob and no session left");
        assertEquals(404, send(registry, "HEAD", "/v2/team/app/blobs/" + digest, new byte[0]).statusCode());
    }

    @Test
    void theSweepAbortsUploadsNothingRecordedAndKeepsOpenChunkedUploads() throws Exception {
        // A node killed between starting a hidden write's upload and recording it left this one.
        String orphanKey = settings.rootDirectory() + "/docker/registry/v2/blobs/sha256/ab/" + "ab".repeat(32) + "/data";
        String orphan = driver.client().createMultipartUpload(b -> b.bucket(settings.bucket()).key(orphanKey)).uploadId();
        driver.client().uploadPart(b -> b.bucket(settings.bucket()).key(orphanKey).uploadId(orphan).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(random(1000)));
        // A chunked upload whose multipart upload stays open between PATCHes.
        byte[] chunked = random(2 * PART + 10);
        String location = patch(Arrays.copyOfRange(chunked, 0, PART + 10), 0);
        assertEquals(2, uploadsInProgress().size());

        assertEquals(0, driver.sweepTemporaryFiles(Instant.now().minus(Duration.ofHours(1))), "nothing is old enough");
        assertEquals(1, driver.sweepTemporaryFiles(Instant.now().plusSeconds(60)), "only the unrecorded upload goes");
        assertEquals(List.of(settings.rootDirectory() + "/docker/registry/v2/repositories/team/app/_uploads/"
                + location.substring(location.lastIndexOf('/') + 1).split("\\?")[0] + "/data"), uploadsInProgress());

        location = patch(Arrays.copyOfRange(chunked, PART + 10, chunked.length), PART + 10, location);
        HttpResponse<byte[]> put = send(registry, "PUT", location + (location.contains("?") ? "&" : "?")
                + "digest=" + S3Http.sha256(chunked), new byte[0]);
        assertEquals(201, put.statusCode(), () -> "the swept chunked upload still completes: " + text(put));
        assertArrayEquals(chunked, send(registry, "GET", "/v2/team/app/blobs/" + S3Http.sha256(chunked), new byte[0]).body());
        assertEquals(List.of(), uploadsInProgress());
    }

    private String patch(byte[] chunk, int from) {
        return patch(chunk, from, header(send(registry, "POST", "/v2/team/app/blobs/uploads/", new byte[0]), "Location"));
    }

    private String patch(byte[] chunk, int from, String location) {
        HttpResponse<byte[]> patched = send(registry, "PATCH", location, chunk, "Content-Type", "application/octet-stream",
                "Content-Range", from + "-" + (from + chunk.length - 1));
        assertEquals(202, patched.statusCode(), () -> text(patched));
        return header(patched, "Location");
    }

    /** A new session's location, ready for a query parameter to be appended. */
    private String sessionLocation() {
        HttpResponse<byte[]> started = send(registry, "POST", "/v2/team/app/blobs/uploads/", new byte[0]);
        assertEquals(202, started.statusCode(), () -> text(started));
        String location = header(started, "Location");
        return location + (location.contains("?") ? "&" : "?");
    }

    /** Waits (bounded) until the hidden write has recorded its upload beside the session's data. */
    private void awaitWriterState() throws InterruptedException {
        for (int i = 0; i < 600 && keys().stream().noneMatch(k -> k.endsWith(".data.s3-writer.json")); i++) Thread.sleep(50);
        assertTrue(keys().stream().anyMatch(k -> k.endsWith(".data.s3-writer.json")), () -> "no writer state in " + keys());
    }

    private List<String> uploadsInProgress() {
        List<String> uploads = new ArrayList<>();
        driver.client().listMultipartUploads(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/"))
                .uploads().forEach(u -> uploads.add(u.key()));
        return uploads;
    }

    /** Every key below the registry's root (relative to its {@code v2} directory), sorted. */
    private List<String> keys() {
        String root = settings.rootDirectory() + "/docker/registry/v2/";
        List<String> keys = new ArrayList<>();
        driver.client().listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/"))
                .contents().forEach((S3Object o) -> keys.add(o.key().substring(root.length())));
        keys.sort(null);
        return keys;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
