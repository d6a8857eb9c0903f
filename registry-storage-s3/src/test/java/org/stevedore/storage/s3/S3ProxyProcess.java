package org.stevedore.storage.s3;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * S3Proxy 4.1 as a separate process over a temporary directory, on a free loopback port. The jar is
 * copied to {@code target/} by the build (system property {@code s3proxy.jar}); it is never on
 * the test classpath, so its many dependencies cannot clash with the SDK's.
 */
final class S3ProxyProcess implements AutoCloseable {
    static final String IDENTITY = "stevedore";
    static final String CREDENTIAL = "stevedore-test-secret";
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path directory;
    private final URI endpoint;

    private S3ProxyProcess(Process process, Path directory, URI endpoint) {
        this.process = process;
        this.directory = directory;
        this.endpoint = endpoint;
    }

    /**
     * Starts S3Proxy on a free port. The port is free when picked, but S3Proxy binds it a moment
     * later, and on a busy machine another socket (any client connection's local port) may take
     * it in between: S3Proxy then exits at once. Such a start is tried again on a new port, twice
     * at most (never with a pinned port).
     */
    static S3ProxyProcess start() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOn(freePort());
            } catch (ExitedEarly e) {
                if (attempt == 3 || Integer.getInteger("s3proxy.port") != null) throw e;
            }
        }
    }

    /** S3Proxy exited before it answered. */
    private static final class ExitedEarly extends IOException {
        ExitedEarly(String message) {
            super(message);
        }
    }

    private static S3ProxyProcess startOn(int port) throws IOException, InterruptedException {
        String jar = System.getProperty("s3proxy.jar", "target/s3proxy.jar");
        if (!Files.isRegularFile(Path.of(jar))) throw new IllegalStateException("S3Proxy jar missing: " + jar + " (run through Maven)");
        Path directory = Files.createTempDirectory("s3proxy");
        Path data = Files.createDirectory(directory.resolve("data"));
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path properties = directory.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + data,
                ""), StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar, "--properties", properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("s3proxy.log").toFile());
        builder.environment().put("LOG_LEVEL", "warn");
        S3ProxyProcess proxy = new S3ProxyProcess(builder.start(), directory, endpoint);
        try {
            proxy.awaitReady();
        } catch (IOException | RuntimeException | InterruptedException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    URI endpoint() {
        return endpoint;
    }

    /** The backend's directory: a bucket's keys are files below {@code data/<bucket>/}. */
    Path data() {
        return directory.resolve("data");
    }

    /** Polls until the server answers HTTP at all (403 to an unsigned request is an answer). */
    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new ExitedEarly("S3Proxy exited: " + log());
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(2000);
                int status = connection.getResponseCode();
                connection.disconnect();
                if (status > 0) return;
            } catch (IOException notYet) {
                Thread.sleep(100); // bounded polling: the server is still starting
            }
        }
        throw new IOException("S3Proxy did not answer within " + STARTUP + ": " + log());
    }

    private String log() {
        try {
            String text = Files.readString(directory.resolve("s3proxy.log"));
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** A free loopback port, or the one system property {@code s3proxy.port} names (benchmarks pin theirs). */
    private static int freePort() throws IOException {
        Integer pinned = Integer.getInteger("s3proxy.port");
        if (pinned != null) return pinned;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
