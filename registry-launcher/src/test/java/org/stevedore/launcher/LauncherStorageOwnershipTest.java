package org.stevedore.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stevedore.registry.Registry;
import org.stevedore.storage.memory.CloseCountingDriver;

/**
 * The launcher closes the storage driver it built (for S3: pooled connections and SDK threads)
 * when it stops the registry, and when the registry cannot start; the registry alone would not.
 */
class LauncherStorageOwnershipTest {
    private final List<CloseCountingDriver> built = new ArrayList<>();
    private final List<RunningServer> started = new ArrayList<>();
    private final StringWriter err = new StringWriter();

    private int serve(RegistryServer server, String... args) {
        picocli.CommandLine commandLine = Main.commandLine((options, printer) -> {
            started.add(server.start(options, printer));
            return 0;
        }, Map.of("REGISTRY_STORAGE", "s3", "REGISTRY_STORAGE_S3_REGION", "us-east-1",
                "REGISTRY_STORAGE_S3_BUCKET", "images"));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private RegistryServer server() {
        return new RegistryServer(config -> (credentials, needed) -> null, (parameters, redirectDisabled) -> {
            CloseCountingDriver driver = new CloseCountingDriver();
            built.add(driver);
            return driver;
        });
    }

    @Test
    void stoppingTheServerClosesTheDriverItBuiltOnce() {
        assertEquals(0, serve(server(), "serve", "--addr", "127.0.0.1:0"), err.toString());
        assertEquals(1, built.size());
        assertEquals(0, built.get(0).closes(), "open while serving");
        RegistryServer.close(started.get(0));
        assertEquals(1, built.get(0).closes());
    }

    @Test
    void aRegistryThatCannotStartClosesItsDriver() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertNotEquals(0, serve(server(), "serve", "--addr", "127.0.0.1:" + taken.getLocalPort()));
        }
        assertEquals(1, built.size(), err.toString());
        assertEquals(1, built.get(0).closes(), "the driver of a registry that never started is closed");
    }
}
