package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar stevedore.jar serve} on a free loopback port with filesystem storage under a
 * work directory and the given {@code REGISTRY_*} variables (none inherited from the shell).
 * {@link #start} returns once the server printed its start line.
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

    static StevedoreProcess start(Path work, Map<String, String> variables) throws Exception {
        Files.createDirectories(work);
        Path jar = Path.of(System.getProperty("stevedore.jar", "../registry-launcher/target/stevedore.jar"));
        if (!Files.isRegularFile(jar)) fail(jar + " is missing: build registry-launcher first (mvn verify from the root)");
        int port = FreePorts.find();
        Path log = work.resolve("serve-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(JAVA.toString(), "-jar", jar.toString(), "serve"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().putAll(variables);
        builder.environment().put("REGISTRY_HTTP_ADDR", "127.0.0.1:" + port);
        builder.environment().put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", work.resolve("storage").toString());
        StevedoreProcess stevedore = new StevedoreProcess(builder.start(), log, "127.0.0.1:" + port);
        stevedore.awaitStartLine("stevedore serving http://127.0.0.1:" + port);
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

    /** Everything the server printed so far, for assertions and failure messages. */
    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
