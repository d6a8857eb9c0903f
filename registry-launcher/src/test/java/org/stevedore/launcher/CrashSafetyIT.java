package org.stevedore.launcher;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * SIGKILL at random moments while clients push to the launcher on filesystem storage (see
 * {@link CrashHarness}). {@code -Dcrash.kills=N} for a longer run than the CI's 50.
 */
class CrashSafetyIT {
    @TempDir
    Path temp;

    @Test
    void acknowledgedContentSurvivesKillsOnFilesystemStorage() throws Exception {
        // -Dcrash.root=DIR keeps the storage for a look afterwards.
        Path root = Path.of(System.getProperty("crash.root", temp.resolve("storage").toString()));
        Path config = temp.resolve("config.yml");
        int port = freePort();
        String storage = "  filesystem:\n    rootdirectory: " + root + "\n  delete:\n    enabled: true";
        CrashHarness.writeConfig(config, port, storage, false);
        try (ServerProcess server = new ServerProcess(config, temp.resolve("logs"), port)) {
            new CrashHarness(server, Long.getLong("crash.seed", System.nanoTime())).run("filesystem",
                    Integer.getInteger("crash.kills", 50), FilesystemDriver.at(root), () -> rewrite(config, port, storage));
        }
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> hidden = files.filter(f -> f.getFileName().toString().startsWith(".")).toList();
            System.out.println("FIGURES: crash safety [filesystem]: hidden temporary or record files left on disk "
                    + hidden.size() + " " + hidden.stream().map(root::relativize).limit(5).toList());
        }
    }

    private static void rewrite(Path config, int port, String storage) {
        try {
            CrashHarness.writeConfig(config, port, storage, true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A free loopback port, or the one system property {@code crash.port} names. */
    static int freePort() throws java.io.IOException {
        Integer pinned = Integer.getInteger("crash.port");
        if (pinned != null) return pinned;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
