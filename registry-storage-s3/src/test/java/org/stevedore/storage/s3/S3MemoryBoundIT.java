package org.stevedore.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory bound of streaming writes: 16 concurrent blob uploads through a registry over S3 whose
 * JVM has a heap of {@value #HEAP} and direct memory of {@value #DIRECT}, with 5 MiB parts. Each
 * writer holds at most one part buffer, in off-heap blocks (16 x 5 MiB = 80 MiB, plus at most two
 * idle parts' blocks pooled: 90 MiB), so they all fit whatever the blob size, and the heap only
 * holds the registry itself; writers that buffered whole blobs (or parts on the heap) would need
 * 16 x the blob size (or 80 MiB of heap) and fail with OutOfMemoryError.
 *
 * <p>The figure is 16 x 100 MiB ({@code -Dmemory.mib=100}: passes under the same heap,
 * about 3 minutes against S3Proxy on two cores). By default CI runs 16 x 24 MiB, which already
 * needs 384 MiB if buffered whole, so it still fails for an unbounded writer, in a quarter of the time.
 */
class S3MemoryBoundIT {
    private static final String HEAP = "64m";
    private static final String DIRECT = "96m";
    private static final int UPLOADS = Integer.getInteger("memory.uploads", 16);
    private static final int MIB = Integer.getInteger("memory.mib", 24);

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @TempDir
    Path work;

    @Test
    void concurrentLargeUploadsFitInABoundedHeap() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + HEAP,
                "-XX:MaxDirectMemorySize=" + DIRECT, "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), MemoryBoundServer.class.getName()));
        Map<String, Object> parameters = S3.parameters(Map.of("chunksize", S3DriverSettings.MIN_CHUNK_SIZE));
        parameters.forEach((k, v) -> command.add(k + "=" + v));
        Path log = work.resolve("server.log");
        Process server = new ProcessBuilder(command).redirectError(log.toFile()).start();
        try {
            URI url = URI.create(readUrl(server.getInputStream()));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            ExecutorService pool = Executors.newFixedThreadPool(UPLOADS);
            List<Future<String>> uploads = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                int seed = i;
                uploads.add(pool.submit(() -> upload(http, url, seed)));
            }
            pool.shutdown();
            for (Future<String> upload : uploads) assertEquals("201", upload.get(15, TimeUnit.MINUTES));
            assertTrue(server.isAlive(), "the server survived");
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly();
        }
        String errors = Files.readString(log);
        assertFalse(errors.contains("OutOfMemoryError"), errors);
    }

    private static String readUrl(InputStream out) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
        for (String line; (line = reader.readLine()) != null; ) {
            if (line.startsWith("URL ")) return line.substring(4);
        }
        throw new IOException("the server printed no URL");
    }

    /** Uploads {@link #MIB} MiB generated from {@code seed} in one streamed PUT; returns the status. */
    private static String upload(HttpClient http, URI url, int seed) throws Exception {
        long length = (long) MIB * 1024 * 1024;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = generated(seed, length)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        String repository = "/v2/memory/app" + seed + "/blobs/uploads/";
        HttpResponse<Void> started = http.send(HttpRequest.newBuilder(url.resolve(repository))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(202, started.statusCode());
        String location = started.headers().firstValue("Location").orElseThrow();
        URI put = url.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(put).timeout(Duration.ofMinutes(14))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> generated(seed, length)), length))
                .build(), HttpResponse.BodyHandlers.ofString());
        return done.statusCode() == 201 ? "201" : done.statusCode() + " " + done.body();
    }

    /** {@code length} bytes: a random 1 MiB block per seed, each repetition shifted by one byte. */
    private static InputStream generated(int seed, long length) {
        byte[] block = new byte[1 << 20];
        new Random(seed).nextBytes(block);
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) {
                if (position >= length) return -1;
                int n = (int) Math.min(count, length - position);
                for (int i = 0; i < n; i++) {
                    long p = position + i;
                    buffer[offset + i] = (byte) (block[(int) (p % block.length)] + (p / block.length));
                }
                position += n;
                return n;
            }
        };
    }
}
