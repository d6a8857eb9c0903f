package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stevedore.storage.s3.S3Http.header;
import static org.stevedore.storage.s3.S3Http.send;
import static org.stevedore.storage.s3.S3Http.sha256;
import static org.stevedore.storage.s3.S3Http.text;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stevedore.registry.Registry;

/**
 * Blob uploads through a started registry over S3Proxy with {@code chunkedencoding} off and on
 * (S3-compatible stores must work either way): monolithic, chunked, and chunked across 5 MiB
 * parts so the multipart path (parts, tails, completion, server-side copy on move) runs; each blob
 * is pulled back whole and by range and compared byte for byte.
 */
class S3ChunkedEncodingUploadTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    private static final String OCTETS = "application/octet-stream";
    private static final int MIB = 1024 * 1024;

    /** Runs {@code test} against a registry over a driver with chunked encoding {@code chunked}. */
    private static void withRegistry(boolean chunked, java.util.function.Consumer<Registry> test) {
        try (S3Driver driver = S3Driver.create(S3.settingsWith(Map.of("chunkedencoding", chunked)).withRedirect(false));
                Registry registry = Registry.builder().storage(driver).start()) {
            test.accept(registry);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static HttpResponse<byte[]> expect(int status, HttpResponse<byte[]> response, String what) {
        assertEquals(status, response.statusCode(), () -> what + ": " + text(response));
        return response;
    }

    /** Pulls {@code digest} whole and by a range and compares both with {@code blob}. */
    private static void assertPulled(Registry registry, String digest, byte[] blob) {
        HttpResponse<byte[]> pulled = expect(200, send(registry, "GET", "/v2/team/app/blobs/" + digest, new byte[0]), "GET blob");
        assertEquals(digest, sha256(pulled.body()));
        assertArrayEquals(blob, pulled.body());
        int from = blob.length / 3;
        int to = Math.min(blob.length, from + 100);
        HttpResponse<byte[]> ranged = expect(206, send(registry, "GET", "/v2/team/app/blobs/" + digest, new byte[0],
                "Range", "bytes=" + from + "-" + (to - 1)), "ranged GET blob");
        assertArrayEquals(Arrays.copyOfRange(blob, from, to), ranged.body());
    }

    /** Uploads {@code blob} as a POST, one PATCH per cut, and a PUT with the rest; returns the digest. */
    private static String pushChunked(Registry registry, byte[] blob, int... cuts) {
        String digest = sha256(blob);
        String location = header(expect(202, send(registry, "POST", "/v2/team/app/blobs/uploads/", new byte[0]), "POST"), "Location");
        int from = 0;
        for (int cut : cuts) {
            HttpResponse<byte[]> chunk = expect(202, send(registry, "PATCH", location, Arrays.copyOfRange(blob, from, cut),
                    "Content-Range", from + "-" + (cut - 1), "Content-Type", OCTETS), "PATCH " + from + "-" + (cut - 1));
            assertEquals("0-" + (cut - 1), header(chunk, "Range"));
            location = header(chunk, "Location");
            from = cut;
        }
        String last = location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
        HttpResponse<byte[]> done = expect(201, send(registry, "PUT", last, Arrays.copyOfRange(blob, from, blob.length),
                "Content-Type", OCTETS), "PUT ?digest=");
        assertEquals(digest, header(done, "Docker-Content-Digest"));
        return digest;
    }

    @ParameterizedTest(name = "chunkedencoding {0}")
    @ValueSource(booleans = {false, true})
    void monolithicUploadsRoundTrip(boolean chunked) {
        withRegistry(chunked, registry -> {
            for (byte[] blob : new byte[][] {"{}".getBytes(StandardCharsets.UTF_8), random(100_000, 1), random(6 * MIB + 7, 2)}) {
                String digest = sha256(blob);
                HttpResponse<byte[]> pushed = expect(201, send(registry, "POST", "/v2/team/app/blobs/uploads/?digest=" + digest,
                        blob, "Content-Type", OCTETS), "monolithic POST of " + blob.length + " bytes");
                assertEquals(digest, header(pushed, "Docker-Content-Digest"));
                assertPulled(registry, digest, blob);
            }
        });
    }

    @ParameterizedTest(name = "chunkedencoding {0}")
    @ValueSource(booleans = {false, true})
    void smallChunkedUploadRoundTrips(boolean chunked) {
        withRegistry(chunked, registry -> {
            byte[] blob = random(300_000, 3);
            assertPulled(registry, pushChunked(registry, blob, 100_000, 200_000), blob);
        });
    }

    @ParameterizedTest(name = "chunkedencoding {0}")
    @ValueSource(booleans = {false, true})
    void chunkedUploadAcrossPartsRoundTrips(boolean chunked) {
        withRegistry(chunked, registry -> {
            // Cuts across the 5 MiB part boundaries: a small file rewritten, then parts, tails kept
            // open across PATCHes, completion, and the move of an upload larger than one part.
            byte[] blob = random(12 * MIB + 4_321, 4);
            assertPulled(registry, pushChunked(registry, blob, 3 * MIB, 7 * MIB, 11 * MIB), blob);
        });
    }
}
