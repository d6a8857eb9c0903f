package org.stevedore.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.tls.PemTls;

/**
 * Runs the shaded jar as users do ({@code java -jar target/stevedore.jar ...}) in a child process.
 * Failsafe runs it after {@code package}, so the jar exists.
 */
class LauncherIT {
    private static final Path JAR = Path.of(System.getProperty("stevedore.jar", "target/stevedore.jar"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void servesPushesAndDrainsInFlightUploadOnSigterm() throws Exception {
        Path root = temp.resolve("storage");
        Path log = temp.resolve("serve.log");
        int port = freePort();
        Process server = start(log, "serve", "--addr", "127.0.0.1:" + port, "--root", root.toString());
        URI base = URI.create("http://127.0.0.1:" + port);
        awaitReady(server, base, log);
        assertTrue(output(log).contains("stevedore serving http://127.0.0.1:" + port + ", storage root "
                + root.toAbsolutePath().normalize()), output(log));

        // A monolithic push lands in the reference registry's layout under --root.
        byte[] blob = "hello from LauncherIT\n".getBytes(UTF_8);
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(
                        base.resolve("/v2/demo/app/blobs/uploads/?digest=sha256:" + hex))
                .header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofByteArray(blob))
                .build(), BodyHandlers.ofString());
        assertEquals(201, pushed.statusCode(), pushed.body());
        assertEquals("sha256:" + hex, pushed.headers().firstValue("Docker-Content-Digest").orElse(""));
        Path data = root.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
        assertArrayEquals(blob, Files.readAllBytes(data));

        // A slow PATCH is running when SIGTERM arrives: it must finish, then the process exits 0.
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(base.resolve("/v2/demo/app/blobs/uploads/"))
                .POST(BodyPublishers.noBody())
                .build(), BodyHandlers.ofString());
        assertEquals(202, session.statusCode(), session.body());
        URI location = base.resolve(session.headers().firstValue("Location").orElseThrow());
        SlowBody body = new SlowBody(10, 1024, Duration.ofMillis(100));
        CompletableFuture<HttpResponse<String>> patch = http.sendAsync(HttpRequest.newBuilder(location)
                .header("Content-Type", "application/octet-stream")
                .method("PATCH", BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> body), body.length()))
                .build(), BodyHandlers.ofString());
        assertTrue(body.awaitChunksSent(3, Duration.ofSeconds(15)), "the slow upload got under way");
        assertTrue(server.isAlive(), output(log));

        server.destroy(); // SIGTERM on Linux

        HttpResponse<String> patched = patch.get(15, TimeUnit.SECONDS);
        assertEquals(10, body.chunksSent(), "the whole body was sent");
        assertEquals(202, patched.statusCode(), patched.body() + "\n" + output(log));
        assertEquals("0-" + (body.length() - 1), patched.headers().firstValue("Range").orElse(""));
        assertTrue(server.waitFor(15, TimeUnit.SECONDS), "exited within 15 s after SIGTERM\n" + output(log));
        assertEquals(0, server.exitValue(), output(log));
        String output = output(log);
        int stopping = output.indexOf("stopping: letting running requests finish");
        int patchLogged = output.indexOf("PATCH " + location.getPath() + " 202");
        assertTrue(stopping >= 0 && patchLogged > stopping, "the PATCH finished during the drain\n" + output);
    }

    @Test
    void environmentConfiguresTheJarAndSelfSignedTlsServesHttps() throws Exception {
        Path log = temp.resolve("tls.log");
        int port = freePort();
        Process server = start(log, Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:" + port,
                        "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", temp.resolve("storage").toString()),
                "serve", "--tls-self-signed", "127.0.0.1", "--tls-dir", temp.resolve("tls").toString());
        Path ca = temp.resolve("tls/ca.crt");
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!output(log).contains("/etc/docker/certs.d/127.0.0.1:" + port + "/ca.crt")) {
            if (!server.isAlive()) fail("server exited with " + server.exitValue() + "\n" + output(log));
            if (System.nanoTime() > deadline) fail("no start line within " + STARTUP.toSeconds() + " s\n" + output(log));
            Thread.sleep(100);
        }
        assertTrue(output(log).contains("stevedore serving https://127.0.0.1:" + port + ", storage root "
                + temp.resolve("storage")), output(log));
        HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(PemTls.client(PemTls.readCertificates(ca))).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> ping = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v2/"))
                .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
        assertEquals(200, ping.statusCode());
        // Plain HTTP on the TLS port: a clear 400, not a hang.
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
        assertEquals(400, plain.statusCode());
        assertTrue(plain.body().startsWith("This registry speaks HTTPS; use https://127.0.0.1:" + port + "/"), plain.body());
    }

    @Test
    void logLevelWarnHidesInfoLines() throws Exception {
        Path log = temp.resolve("quiet.log");
        int port = freePort();
        Process server = start(log, Map.of("REGISTRY_LOG_LEVEL", "warn"), "serve", "--addr", "127.0.0.1:" + port,
                "--root", temp.resolve("storage").toString());
        awaitReady(server, URI.create("http://127.0.0.1:" + port), log);
        server.destroy();
        assertTrue(server.waitFor(15, TimeUnit.SECONDS), output(log));
        String output = output(log);
        assertTrue(output.contains("stevedore serving http://127.0.0.1:" + port), output);
        assertTrue(!output.contains("GET /v2/ 200") && !output.contains("stopping:") && !output.contains(" INFO "),
                "no INFO lines at log.level warn\n" + output);
    }

    @Test
    void helpExitsZero() throws Exception {
        Path log = temp.resolve("help.log");
        Process process = start(log, "--help");
        assertEquals(0, exitCode(process, log), output(log));
        assertTrue(output(log).contains("Usage: stevedore [-hv] COMMAND"), output(log));
        assertTrue(output(log).contains("serve"), output(log));
    }

    @Test
    void serveHelpExitsZero() throws Exception {
        Path log = temp.resolve("serve-help.log");
        Process process = start(log, "serve", "--help");
        assertEquals(0, exitCode(process, log), output(log));
        assertTrue(output(log).contains("Usage: stevedore serve"), output(log));
        assertTrue(output(log).contains("--addr=HOST:PORT"), output(log));
    }

    @Test
    void nonsenseAddrExitsTwoWithMessage() throws Exception {
        Path log = temp.resolve("bad-addr.log");
        Process process = start(log, "serve", "--addr", "nonsense", "--root", temp.resolve("unused").toString());
        assertEquals(2, exitCode(process, log), output(log));
        assertTrue(output(log).contains("Invalid value for option '--addr': 'nonsense': expected HOST:PORT"),
                output(log));
        assertTrue(Files.notExists(temp.resolve("unused")), "nothing was created");
    }

    @Test
    void portInUseExitsOneWithReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path log = temp.resolve("taken.log");
            String addr = "127.0.0.1:" + taken.getLocalPort();
            Process process = start(log, "serve", "--addr", addr, "--root", temp.resolve("storage").toString());
            assertEquals(1, exitCode(process, log), output(log));
            assertTrue(output(log).contains("stevedore serve: cannot serve on " + addr + ": Address already in use"),
                    output(log));
        }
    }

    private Process start(Path log, String... args) throws IOException {
        return start(log, Map.of(), args);
    }

    private Process start(Path log, Map<String, String> environment, String... args) throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run `mvn package` first");
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(temp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Only the variables a test sets: a REGISTRY_* in the developer's shell must not leak in.
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static int exitCode(Process process, Path log) throws InterruptedException, IOException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) fail("still running after 60 s\n" + output(log));
        return process.exitValue();
    }

    private void awaitReady(Process server, URI base, Path log) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        HttpRequest ping = HttpRequest.newBuilder(base.resolve("/v2/")).timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) fail("server exited with " + server.exitValue() + "\n" + output(log));
            try {
                HttpResponse<String> response = http.send(ping, BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                return;
            } catch (ConnectException notYet) {
                Thread.sleep(100);
            }
        }
        fail("GET /v2/ did not answer within " + STARTUP.toSeconds() + " s\n" + output(log));
    }

    private static String output(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A request body handed out one chunk at a time with a pause before each: an upload in flight. */
    private static final class SlowBody extends InputStream {
        private final int chunks;
        private final int chunkBytes;
        private final Duration pause;
        private final CountDownLatch[] sent;
        private int chunk;
        private int offsetInChunk;

        SlowBody(int chunks, int chunkBytes, Duration pause) {
            this.chunks = chunks;
            this.chunkBytes = chunkBytes;
            this.pause = pause;
            this.sent = new CountDownLatch[chunks + 1];
            for (int i = 0; i <= chunks; i++) sent[i] = new CountDownLatch(i == 0 ? 0 : 1);
        }

        long length() {
            return (long) chunks * chunkBytes;
        }

        synchronized int chunksSent() {
            return chunk;
        }

        boolean awaitChunksSent(int count, Duration timeout) throws InterruptedException {
            return sent[count].await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
            if (chunk == chunks) return -1;
            if (length == 0) return 0;
            if (offsetInChunk == 0) {
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            int n = Math.min(length, chunkBytes - offsetInChunk);
            for (int i = 0; i < n; i++) buffer[offset + i] = (byte) ('a' + chunk % 26);
            offsetInChunk += n;
            if (offsetInChunk == chunkBytes) {
                offsetInChunk = 0;
                chunk++;
                sent[chunk].countDown();
            }
            return n;
        }
    }
}
