package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar stevedore.jar serve} on a free loopback port with filesystem storage under a
 * work directory, configured either by {@code REGISTRY_*} variables ({@link #start}) or by a
 * config.yml ({@link #startWithConfig}); no {@code REGISTRY_*} variable is inherited from the
 * shell. Both return once the server printed its start line. {@link #close()} sends SIGTERM, as
 * a service manager does, and waits for the process to end.
 */
final class StevedoreProcess implements AutoCloseable {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final String hostPort;

    private StevedoreProcess(Process process, Path log, String hostPort) {
        this.process = process;
        this.log = log;
        this.hostPort = hostPort;
    }

    /** Configured by {@code variables}; address and storage root are set here. */
    static StevedoreProcess start(Path work, Map<String, String> variables) throws Exception {
        Files.createDirectories(work);
        int port = FreePorts.find();
        Map<String, String> all = new java.util.HashMap<>(variables);
        all.put("REGISTRY_HTTP_ADDR", "127.0.0.1:" + port);
        all.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", work.resolve("storage").toString());
        return launch(work, port, List.of(), all);
    }

    /** Configured by {@code extraYaml}, appended to a config.yml with {@code version}, {@code http.addr} and {@code storage}. */
    static StevedoreProcess startWithConfig(Path work, String extraYaml) throws Exception {
        Files.createDirectories(work);
        int port = FreePorts.find();
        Path config = Files.writeString(work.resolve("config.yml"), "version: 0.1\nhttp:\n  addr: 127.0.0.1:" + port
                + "\nstorage:\n  filesystem:\n    rootdirectory: " + work.resolve("storage") + "\n" + extraYaml);
        return launch(work, port, List.of(config.toString()), Map.of());
    }

    private static StevedoreProcess launch(Path work, int port, List<String> arguments, Map<String, String> variables)
            throws Exception {
        Path jar = Path.of(System.getProperty("stevedore.jar", "../registry-launcher/target/stevedore.jar"));
        if (!Files.isRegularFile(jar)) fail(jar + " is missing: build registry-launcher first (mvn verify from the root)");
        Path log = work.resolve("serve-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", jar.toString(), "serve"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().putAll(variables);
        StevedoreProcess stevedore = new StevedoreProcess(builder.start(), log, "127.0.0.1:" + port);
        stevedore.awaitStartLine("stevedore serving http://127.0.0.1:" + port + ", storage root ");
        return stevedore;
    }

    private void awaitStartLine(String line) throws Exception {
        // Printed once the port is bound; polling the log is bounded by STARTUP.
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!output().contains(line)) {
            if (!process.isAlive()) fail("stevedore exited with " + process.exitValue() + "\n" + output());
            if (System.nanoTime() > deadline) {
                close();
                fail("stevedore did not start within " + STARTUP.toSeconds() + " s\n" + output());
            }
            Thread.sleep(100);
        }
    }

    String hostPort() {
        return hostPort;
    }

    /** Whether {@code text} shows up in the server's output within 10 s (what other threads log comes later). */
    boolean awaitOutput(String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(50);
        }
        return true;
    }

    /** Everything the server printed so far, for assertions and failure messages. */
    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM, then waits; the server lets requests finish and flushes its notification queues first. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
