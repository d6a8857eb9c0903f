package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;

/**
 * The archive registry-dist builds ({@code stevedore-VERSION.tar.gz}, named by the system property
 * {@code stevedore.archive}), unpacked as an operator would, and servers started from its
 * {@code bin/stevedore}.
 */
final class DistributionArchive {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path home;

    private DistributionArchive(Path home) {
        this.home = home;
    }

    /** The archive's path; fails the test when it was not built. */
    static Path archive() {
        Path archive = Path.of(System.getProperty("stevedore.archive", "../registry-dist/target/stevedore.tar.gz"));
        if (!Files.isRegularFile(archive)) fail("no " + archive + ": build it with `mvn -B -DskipTests package`");
        return archive;
    }

    /** Unpacks the archive into {@code directory} with tar and returns its one top directory. */
    static DistributionArchive unpack(Path directory) throws IOException {
        Files.createDirectories(directory);
        Processes.runOk(List.of("tar", "-xzf", archive().toString(), "-C", directory.toString()), Map.of(),
                Processes.DEFAULT_TIMEOUT);
        try (var entries = Files.list(directory)) {
            List<Path> top = entries.toList();
            assertTrue(top.size() == 1 && top.get(0).getFileName().toString().startsWith("stevedore-"),
                    "one stevedore-VERSION directory: " + top);
            return new DistributionArchive(top.get(0));
        }
    }

    Path home() {
        return home;
    }

    Path launcher() {
        return home.resolve("bin/stevedore");
    }

    /** {@code bin/stevedore ARGS...} with {@code environment} added; its output goes to {@code log}. */
    Process start(Map<String, String> environment, Path log, String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(launcher().toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_") || name.startsWith("STEVEDORE_"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Whether the zip or jar {@code file} has an entry {@code name}. */
    static boolean hasEntry(Path file, String name) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(name) != null;
        }
    }

    /** The regular files {@code process} has open now ({@code /proc/PID/fd}). */
    static Set<Path> openFiles(Process process) throws IOException {
        Set<Path> open = new TreeSet<>();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/" + process.pid() + "/fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    open.add(Files.readSymbolicLink(descriptor));
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while the directory was read
                }
            }
        }
        return open;
    }

    /** The files in {@code directory} whose names match {@code glob}. */
    static List<Path> filesIn(Path directory, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, glob)) {
            files.forEach(found::add);
        }
        return found;
    }

    /** Waits until {@code url} answers {@code status}; fails with the log if the process ends first. */
    static void awaitStatus(Process process, URI url, int status, Path log) throws Exception {
        awaitStatus(process, url, status, log, STARTUP);
    }

    /** As {@link #awaitStatus(Process, URI, int, Path)}, waiting at most {@code startup}. */
    static void awaitStatus(Process process, URI url, int status, Path log, Duration startup) throws Exception {
        long deadline = System.nanoTime() + startup.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) fail("the server exited with " + process.exitValue() + ":\n" + Files.readString(log));
            if (statusOf(url) == status) return;
            Thread.sleep(50);
        }
        fail(url + " did not answer " + status + " within " + startup.toSeconds() + " s:\n" + Files.readString(log));
    }

    /** The status {@code GET url} answers, or -1 when nothing answers. */
    static int statusOf(URI url) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
