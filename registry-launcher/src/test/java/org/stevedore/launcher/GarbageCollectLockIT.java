package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 9 across processes, as operators meet it: {@code stevedore serve} in one process
 * holds its root's lock, {@code stevedore garbage-collect} in another refuses; once the server is
 * gone, even killed with SIGKILL, the operating system has dropped the lock and collection runs.
 */
class GarbageCollectLockIT {
    private static final Path JAR = Path.of(System.getProperty("stevedore.jar", "target/stevedore.jar"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path temp;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusesWhileAnotherProcessServesTheRootAndRunsOnceItIsKilled() throws Exception {
        Path root = temp.resolve("storage");
        int port = freePort();
        Path serveLog = temp.resolve("serve.log");
        Process server = start(serveLog, "serve", "--addr", "127.0.0.1:" + port, "--root", root.toString());
        awaitReady(server, URI.create("http://127.0.0.1:" + port + "/v2/"), serveLog);

        Path gcLog = temp.resolve("gc.log");
        Process refused = start(gcLog, "garbage-collect", "--dry-run", "--root", root.toString());
        assertEquals(1, exitCode(refused, gcLog), output(gcLog));
        assertTrue(output(gcLog).contains("a registry is serving " + root.toAbsolutePath().normalize()), output(gcLog));
        assertTrue(output(gcLog).contains("storage.maintenance.gc.enabled: true"), output(gcLog));

        server.destroyForcibly(); // SIGKILL: no shutdown hook runs, the lock goes with the process
        assertTrue(server.waitFor(15, TimeUnit.SECONDS));
        Path afterLog = temp.resolve("gc-after.log");
        Process collected = start(afterLog, "garbage-collect", "--dry-run", "--root", root.toString());
        assertEquals(0, exitCode(collected, afterLog), output(afterLog));
        assertTrue(output(afterLog).contains("Dry run, nothing deleted: would delete 0 manifests and 0 blobs"),
                output(afterLog));
    }

    private Process start(Path log, String... args) throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run `mvn package` first");
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static int exitCode(Process process, Path log) throws InterruptedException, IOException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) fail("still running after 60 s\n" + output(log));
        return process.exitValue();
    }

    private static void awaitReady(Process server, URI ping, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) fail("server exited with " + server.exitValue() + "\n" + output(log));
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ping).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertEquals(200, response.statusCode());
                return;
            } catch (ConnectException notYet) {
                Thread.sleep(100);
            }
        }
        fail("GET /v2/ did not answer within 60 s\n" + output(log));
    }

    private static String output(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
