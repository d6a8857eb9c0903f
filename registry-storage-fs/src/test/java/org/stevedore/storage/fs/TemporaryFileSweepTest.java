package org.stevedore.storage.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.service.GarbageCollector;

/**
 * Hidden {@code .tmp-} debris of killed writers is removed by garbage collection once older than
 * the grace period (at least an hour), while the temporary file of an upload streaming at that
 * moment, and content in use, survive.
 */
class TemporaryFileSweepTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path root;

    private static Path stale(Path path) throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(3)));
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.toList()) Files.setLastModifiedTime(p, old);
        }
        return path;
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            return tree.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    @Test
    void collectionRemovesStaleDebrisAndKeepsWritesInProgress() throws Exception {
        try (Registry registry = Registry.builder().storage(FilesystemDriver.at(root)).start()) {
            PushedImage image = registry.fixtures().pushImage("sweep/app", "1", 100, 200);
            Path repository = root.resolve("docker/registry/v2/repositories/sweep/app");
            Path blobs = root.resolve("docker/registry/v2/blobs");
            assertTrue(Files.isDirectory(repository) && Files.isDirectory(blobs));
            // What killed writers leave: a file beside its target, a staged tree never moved in.
            Path staleFile = stale(Files.writeString(repository.resolve("_manifests/.tmp-dead1"), "half"));
            Path staleTree = repository.resolve("_manifests/tags/.tmp-dead2");
            Files.createDirectories(staleTree.resolve("current"));
            Files.writeString(staleTree.resolve("current/link"), "sha256:...");
            stale(staleTree);
            Path staleBlob = stale(Files.write(blobs.resolve(".tmp-dead3"), new byte[4096]));
            // Younger than the grace period: a write that may still be going on.
            Path recent = Files.writeString(repository.resolve(".tmp-recent"), "in flight");
            Files.setLastModifiedTime(recent, FileTime.from(Instant.now().minus(Duration.ofMinutes(20))));
            // A stale-looking tree with one fresh file in it is in use too.
            Path mixed = repository.resolve(".tmp-mixed");
            Files.createDirectories(mixed.resolve("inner"));
            stale(mixed);
            Files.writeString(mixed.resolve("inner/fresh"), "just written");

            String location = startUploadWithHalfABodyInFlight(registry);
            try (Socket inFlight = new Socket(registry.url().getHost(), registry.port())) {
                byte[] body = new byte[64 * 1024];
                OutputStream out = inFlight.getOutputStream();
                out.write(("PATCH " + location + " HTTP/1.1\r\nHost: " + registry.hostPort()
                        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, body.length / 2);
                out.flush();
                List<Path> before = awaitTemporaries(6);

                GarbageCollector.Report report = registry.service().garbageCollector()
                        .run(new GarbageCollector.Options(false, false, Duration.ZERO), line -> { });

                assertEquals(0, report.blobsDeleted(), report.summary());
                assertFalse(Files.exists(staleFile));
                assertFalse(Files.exists(staleTree));
                assertFalse(Files.exists(staleBlob));
                assertTrue(Files.exists(recent));
                assertTrue(Files.exists(mixed.resolve("inner/fresh")));
                List<Path> after = temporaries();
                assertEquals(before.size() - 3, after.size(), before + " -> " + after);

                out.write(body, body.length / 2, body.length / 2);
                out.flush();
                String answer = new String(readAll(inFlight.getInputStream()), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
                String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
                HttpResponse<String> done = HTTP.send(HttpRequest.newBuilder(registry.url().resolve(
                        location + "?digest=" + digest)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, done.statusCode(), done.body());
            }
            assertEquals(Optional.of(image.manifest()), registry.contents().manifest("sweep/app", "1")
                    .map(m -> m.digest()));
            HttpResponse<byte[]> pulled = HTTP.send(HttpRequest.newBuilder(registry.url().resolve(
                    "/v2/sweep/app/manifests/1")).header("Accept", "application/vnd.oci.image.manifest.v1+json").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, pulled.statusCode());
        }
    }

    private static String startUploadWithHalfABodyInFlight(Registry registry) throws Exception {
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(registry.url().resolve(
                "/v2/sweep/app/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, started.statusCode(), started.body());
        return URI.create(started.headers().firstValue("Location").orElseThrow()).getPath();
    }

    /** Bounded polling until at least {@code count} temporary entries exist (the upload's appears). */
    private List<Path> awaitTemporaries(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Path> found = temporaries();
        while (found.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            found = temporaries();
        }
        assertTrue(found.size() >= count, "no temporary file of the upload in flight: " + found);
        return found;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
