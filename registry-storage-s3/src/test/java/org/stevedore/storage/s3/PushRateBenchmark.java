package org.stevedore.storage.s3;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.stevedore.registry.Registry;

/**
 * The open multipart writer's two targets, side by side in one run over one S3Proxy: one blob
 * pushed through a registry over the S3 driver in one PUT, the same blob in PATCHes of a chunk
 * size, and the same bytes PUT straight into the store by curl with SigV4 (what the store itself
 * takes). Every push is of a blob new to the store (a stored one would only be linked). Rounds
 * alternate the three, so the machine's load falls on all alike; each line gives
 * MiB/s and the median ratios at the end. A main class, not a test (bench/push-s3 runs it).
 * Arguments: total MiB (default 256), chunk MiB (default 8), rounds (default 3). System
 * properties {@code bench.port} (the registry's) and {@code s3proxy.port} pin the ports.
 */
public final class PushRateBenchmark {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PushRateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int totalMiB = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int chunkMiB = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        byte[] blob = new byte[totalMiB << 20];
        new Random(42).nextBytes(blob);
        Path file = Files.createTempFile("push-rate", ".bin");
        Files.write(file, blob);
        S3ProxyExtension.Endpoint e = S3ProxyExtension.shared();
        Map<String, Object> parameters = e.parameters("push-" + System.nanoTime());
        List<Double> single = new ArrayList<>();
        List<Double> chunked = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        try (S3Driver s3 = S3Driver.create(S3DriverSettings.fromParameters(parameters).withRedirect(false));
             Registry registry = Registry.builder().storage(s3).deleteEnabled(true)
                     .port(Integer.getInteger("bench.port", 0)).start()) {
            // Warm-up, untimed: class loading and the JIT of both paths.
            onePut(registry, blob, stamp(blob, 0));
            patches(registry, blob, chunkMiB << 20, stamp(blob, 1));
            for (int round = 0; round < rounds; round++) {
                // Each push is of a blob new to the store (its first bytes differ), as a new layer
                // is: a blob already stored is only linked, and its push skips publishing the bytes.
                String one = stamp(blob, 2 + 2 * round);
                single.add(rate(totalMiB, () -> onePut(registry, blob, one)));
                String patched = stamp(blob, 3 + 2 * round);
                chunked.add(rate(totalMiB, () -> patches(registry, blob, chunkMiB << 20, patched)));
                String key = "direct-" + round;
                direct.add(rate(totalMiB, () -> curl(e, file, key)));
                System.out.printf("round %d: one PUT %.1f MiB/s, %d MiB PATCHes %.1f MiB/s, direct SigV4 PUT %.1f MiB/s%n",
                        round + 1, single.get(round), chunkMiB, chunked.get(round), direct.get(round));
            }
        } finally {
            Files.deleteIfExists(file);
        }
        double one = median(single);
        double patched = median(chunked);
        double store = median(direct);
        System.out.printf("medians: one PUT %.1f, PATCHes %.1f, direct %.1f MiB/s; PATCHes/one PUT %.2f (target >= 0.7),"
                + " one PUT/direct %.2f (target >= 0.5)%n", one, patched, store, patched / one, one / store);
        System.exit(0); // S3Proxy's shutdown hook stops it
    }

    private interface Push {
        void run() throws Exception;
    }

    private static double rate(int totalMiB, Push push) throws Exception {
        long start = System.nanoTime();
        push.run();
        return totalMiB / ((System.nanoTime() - start) / 1e9);
    }

    private static void onePut(Registry registry, byte[] blob, String digest) throws Exception {
        String location = start(registry);
        String sep = location.contains("?") ? "&" : "?";
        check(HTTP.send(HttpRequest.newBuilder(registry.url().resolve(location + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.discarding()), 201);
    }

    private static void patches(Registry registry, byte[] blob, int chunk, String digest) throws Exception {
        String location = start(registry);
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
        check(HTTP.send(HttpRequest.newBuilder(registry.url().resolve(location + sep + "digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()), 201);
    }

    private static String start(Registry registry) throws Exception {
        HttpResponse<Void> started = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/bench/push/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        check(started, 202);
        return started.headers().firstValue("Location").orElseThrow();
    }

    /** The same bytes PUT into the store by curl, signed with SigV4 (payload unsigned, as the driver's parts go). */
    private static void curl(S3ProxyExtension.Endpoint e, Path file, String key) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "-f", "-o", "/dev/null", "--aws-sigv4",
                "aws:amz:" + e.region() + ":s3", "--user", e.accessKey() + ":" + e.secretKey(),
                "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", "-T", file.toString(),
                e.uri() + "/" + e.bucket() + "/bench-direct/" + key).inheritIO().start();
        if (curl.waitFor() != 0) throw new IllegalStateException("curl PUT failed: " + curl.exitValue());
    }

    /** Writes {@code push} into the blob's first bytes, so that each push is of another blob; its digest. */
    private static String stamp(byte[] blob, long push) throws Exception {
        java.nio.ByteBuffer.wrap(blob).putLong(0, push ^ System.nanoTime());
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static void check(HttpResponse<?> response, int expected) {
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + ": " + response.statusCode());
        }
    }
}
