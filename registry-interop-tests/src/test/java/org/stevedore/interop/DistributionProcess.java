package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference registry (Debian's {@code docker-registry}, distribution 2.8.2) as a peer process
 * on 127.0.0.1, storing into a given directory with the filesystem driver. {@link #start} returns
 * once {@code GET /v2/} answers (200, or 401 when extra configuration turned auth on); {@link #close()} stops the process and waits for it to exit,
 * so the directory can then be handed to Stevedore.
 */
final class DistributionProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 20;

    private final Process process;
    private final int port;
    private final Path log;

    private DistributionProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts docker-registry serving {@code storageRoot}; its config and log go to {@code workDirectory}.
     * Fails the test if the binary is missing or the server does not become ready.
     */
    static DistributionProcess start(Path storageRoot, Path workDirectory) throws IOException, InterruptedException {
        return start(storageRoot, workDirectory, "");
    }

    /** As {@link #start(Path, Path)}, with {@code extraConfig} (top-level YAML sections, e.g. auth) appended. */
    static DistributionProcess start(Path storageRoot, Path workDirectory, String extraConfig)
            throws IOException, InterruptedException {
        Processes.requireTool(BINARY.toString(),
                "Install Debian's distribution with `apt-get install docker-registry` (scripts/test does this in CI).");
        Files.createDirectories(workDirectory);
        String failures = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = FreePorts.find();
            Path config = Files.writeString(workDirectory.resolve("config-" + port + ".yml"), config(storageRoot, port) + extraConfig);
            Path log = workDirectory.resolve("registry-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // The registry lets REGISTRY_* variables override its config file; keep only ours.
            builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
            DistributionProcess registry = new DistributionProcess(builder.start(), port, log);
            if (registry.awaitReady()) return registry;
            registry.close();
            String output = Files.readString(log);
            failures += "\n--- attempt " + attempt + " on port " + port + " ---\n" + output;
            if (!output.contains("address already in use")) break; // only a lost port race is worth a retry
        }
        return fail("docker-registry did not answer GET /v2/ with 200 within " + READY_TIMEOUT.toSeconds() + " s:"
                + failures);
    }

    private static String config(Path storageRoot, int port) {
        return String.join("\n", List.of(
                "version: 0.1",
                "log:",
                "  level: warn",
                "  accesslog:",
                "    disabled: true",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + storageRoot.toAbsolutePath(),
                "  delete:",
                "    enabled: true",
                "  maintenance:",
                "    uploadpurging:",
                "      enabled: false",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "  secret: stevedore-interop-tests",
                ""));
    }

    private boolean awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                int status = client.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) return true;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    URI url() {
        return URI.create("http://" + hostPort());
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** The last lines the registry logged, for failure messages (it logs every 404 at level error). */
    String log() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 10 s) and waits until it has exited. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
