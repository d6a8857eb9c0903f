package org.stevedore.launcher;

import java.io.IOException;
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

/**
 * The shaded jar as a child process, started again and again on one config (so one port and one
 * storage), each start logging to a file of its own. {@link #kill()} is SIGKILL: nothing in the
 * server runs after it, no shutdown hook, no drain.
 */
final class ServerProcess implements AutoCloseable {
    private static final Path JAR = Path.of(System.getProperty("stevedore.jar", "target/stevedore.jar"));
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    static final Duration STARTUP = Duration.ofSeconds(60);

    private final Path config;
    private final Path logs;
    private final URI base;
    private Process process;
    private Path log;
    private int starts;

    ServerProcess(Path config, Path logs, int port) {
        this.config = config;
        this.logs = logs;
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    URI base() {
        return base;
    }

    /** Starts the server and returns once {@code GET /v2/} answers 200. */
    void start() throws IOException, InterruptedException {
        Files.createDirectories(logs);
        log = logs.resolve("start-" + ++starts + ".log");
        // Quick start-up flags: the harness starts the server dozens of times.
        process = new ProcessBuilder(List.of(JAVA.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-jar", JAR.toString(), "serve", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        awaitReady();
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + output());
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(base.resolve("/v2/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50); // bounded polling for the port
        }
        throw new IllegalStateException("GET /v2/ did not answer within " + STARTUP.toSeconds() + " s:\n" + output()
                + "\nthreads of the server:\n" + threadDump());
    }

    /** What the server's threads are doing (jcmd of the same JDK), to tell a slow start from a stuck one. */
    private String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(JAVA.resolveSibling("jcmd").toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    /** SIGKILL (Process.destroyForcibly on Linux); returns the exit status, 137 for a kill by signal 9. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("server survived SIGKILL");
        return process.exitValue();
    }

    /** The output of the current start. */
    String output() throws IOException {
        return log != null && Files.exists(log) ? Files.readString(log) : "";
    }

    /** Lines of the current start's output that a clean start must not have. */
    List<String> startupProblems() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String line : output().split("\n")) {
            if (line.contains("Exception") || line.contains(" ERROR ") || line.contains(" WARN ") || line.startsWith("\tat ")) {
                problems.add("start " + starts + ": " + line);
            }
        }
        return problems;
    }

    /** The process id of the current start, for tools that attach to it. */
    long pid() {
        return process.pid();
    }

    int starts() {
        return starts;
    }

    /** Stops with SIGTERM, as an operator would; waits for the exit. */
    void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) kill();
    }
}
