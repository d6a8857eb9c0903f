package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stevedore.storage.s3.S3Http.header;
import static org.stevedore.storage.s3.S3Http.send;
import static org.stevedore.storage.s3.S3Http.text;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A chunked upload over HTTP whose multipart upload stayed open across PATCHes leaves nothing in
 * the bucket once it ends: no multipart upload in progress, no tail or writer state, no session
 * object; only the blob and its link when it completed.
 */
class S3UploadLeftoversTest {
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
    void aCompletedChunkedUploadLeavesOnlyTheBlobItsLinkAndTheCatalogEntry() {
        byte[] bytes = random(2 * PART + 300);
        String digest = S3Http.sha256(bytes);
        String location = patchInChunks(bytes, PART + 100, PART + 1000);
        assertEquals(1, uploadsInProgress().size(), "the upload is kept open across PATCHes");

        HttpResponse<byte[]> put = send(registry, "PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest,
                new byte[0]);
        assertEquals(201, put.statusCode(), () -> text(put));

        assertEquals(List.of(), uploadsInProgress(), "no multipart upload left open");
        String hex = digest.substring("sha256:".length());
        assertEquals(List.of("blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data",
                        "repositories/team/app/_layers/sha256/" + hex + "/link",
                        "stevedore/catalog/repositories/team0app"), // the repository's catalog index entry
                keysWithout("blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/lastused"));
        HttpResponse<byte[]> pulled = send(registry, "GET", "/v2/team/app/blobs/" + digest, new byte[0]);
        assertArrayEquals(bytes, pulled.body());
    }

    @Test
    void aCancelledChunkedUploadLeavesNothing() {
        byte[] bytes = random(PART + 5000);
        String location = patchInChunks(bytes, PART + 10, PART + 4000);
        assertEquals(1, uploadsInProgress().size(), "the upload is kept open across PATCHes");

        HttpResponse<byte[]> cancelled = send(registry, "DELETE", location, new byte[0]);
        assertEquals(204, cancelled.statusCode(), () -> text(cancelled));

        assertEquals(List.of(), uploadsInProgress(), "the cancel aborted the multipart upload");
        assertEquals(List.of(), keysWithout(null), "no session object, tail or writer state left");
    }

    /** Starts a session and PATCHes {@code bytes} in chunks ending at the offsets {@code cuts}; returns the last location. */
    private String patchInChunks(byte[] bytes, int... cuts) {
        HttpResponse<byte[]> started = send(registry, "POST", "/v2/team/app/blobs/uploads/", new byte[0]);
        assertEquals(202, started.statusCode(), () -> text(started));
        String location = header(started, "Location");
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            int start = from;
            HttpResponse<byte[]> patched = send(registry, "PATCH", location, Arrays.copyOfRange(bytes, from, to),
                    "Content-Type", "application/octet-stream", "Content-Range", from + "-" + (to - 1));
            assertEquals(202, patched.statusCode(), () -> "PATCH from " + start + ": " + text(patched));
            location = header(patched, "Location");
            from = to;
        }
        return location;
    }

    private List<String> uploadsInProgress() {
        S3Client raw = driver.client();
        List<String> uploads = new ArrayList<>();
        raw.listMultipartUploads(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/"))
                .uploads().forEach(u -> uploads.add(u.key()));
        return uploads;
    }

    /** Every key below the registry's root (relative to it), but {@code except}. */
    private List<String> keysWithout(String except) {
        String root = settings.rootDirectory() + "/docker/registry/v2/";
        List<String> keys = new ArrayList<>();
        driver.client().listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(settings.rootDirectory() + "/"))
                .contents().forEach((S3Object o) -> keys.add(o.key().substring(root.length())));
        keys.remove(except);
        return keys;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
