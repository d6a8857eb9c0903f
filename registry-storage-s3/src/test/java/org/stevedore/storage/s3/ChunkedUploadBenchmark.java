package org.stevedore.storage.s3;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.stevedore.registry.Registry;

/**
 * Time of one chunked blob upload (POST, PATCH per chunk, PUT) through a registry over the S3
 * driver on S3Proxy, started as the tests do; a main class, not a test (bench/chunked-s3 runs it).
 * It shows whether a PATCH costs its own bytes or the whole upload so far.
 * Arguments: total MiB (default 64), then chunk sizes in MiB (default 1 8).
 */
public final class ChunkedUploadBenchmark {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ChunkedUploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int totalMiB = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int[] chunks = args.length > 1
                ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 8};
        byte[] blob = new byte[totalMiB << 20];
        new Random(42).nextBytes(blob);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        S3ProxyExtension.Endpoint e = S3ProxyExtension.shared();
        Map<String, Object> parameters = e.parameters("chunked-" + System.nanoTime());
        try (S3Driver s3 = S3Driver.create(S3DriverSettings.fromParameters(parameters).withRedirect(false));
             Registry registry = Registry.builder().storage(s3).deleteEnabled(true).start()) {
            for (int chunkMiB : chunks) {
                for (int rep = 0; rep < 2; rep++) {
                    long start = System.nanoTime();
                    upload(registry, blob, chunkMiB << 20, digest);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("chunked upload %d MiB in %d MiB PATCHes (run %d): %.2f s, %.1f MiB/s%n",
                            totalMiB, chunkMiB, rep + 1, seconds, totalMiB / seconds);
                    delete(registry, digest);
                }
            }
        }
        System.exit(0); // S3Proxy's shutdown hook stops it
    }

    private static void upload(Registry registry, byte[] blob, int chunk, String digest) throws Exception {
        HttpResponse<Void> started = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/bench/chunked/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        check(started, 202);
        String location = started.headers().firstValue("Location").orElseThrow();
        for (int offset = 0; offset < blob.length; offset += chunk) {
            int n = Math.min(chunk, blob.length - offset);
            HttpResponse<Void> patched = HTTP.send(HttpRequest.newBuilder(registry.url().resolve(location))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(blob, offset, n))
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", offset + "-" + (offset + n - 1)).build(), HttpResponse.BodyHandlers.discarding());
            check(patched, 202);
            location = patched.headers().firstValue("Location").orElseThrow();
        }
        String sep = location.contains("?") ? "&" : "?";
        HttpResponse<Void> done = HTTP.send(HttpRequest.newBuilder(registry.url().resolve(location + sep + "digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        check(done, 201);
    }

    private static void delete(Registry registry, String digest) throws Exception {
        HttpResponse<Void> deleted = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/bench/chunked/blobs/" + digest))
                .DELETE().build(), HttpResponse.BodyHandlers.discarding());
        check(deleted, 202);
    }

    private static void check(HttpResponse<?> response, int expected) {
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + ": " + response.statusCode());
        }
    }
}
