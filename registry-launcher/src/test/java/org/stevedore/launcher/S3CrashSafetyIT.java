package org.stevedore.launcher;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.storage.s3.S3Driver;
import org.stevedore.storage.s3.S3DriverSettings;
import org.stevedore.storage.s3.S3ProxyExtension;

/**
 * The crash harness with the launcher on S3 storage (S3Proxy, started by the test JVM; the launcher
 * is a child process reaching it over loopback). Shorter than the filesystem run:
 * {@code -Dcrash.s3kills=N} for more than the CI's 6.
 */
class S3CrashSafetyIT {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @TempDir
    Path temp;

    @Test
    void acknowledgedContentSurvivesKillsOnS3Storage() throws Exception {
        Map<String, Object> parameters = S3.parameters(Map.of());
        StringBuilder storage = new StringBuilder("  s3:\n");
        parameters.forEach((key, value) -> storage.append("    ").append(key).append(": ").append(value).append("\n"));
        // Blob GETs return the bytes rather than a presigned redirect, so the verifier hashes them directly.
        storage.append("  redirect:\n    disable: true\n  delete:\n    enabled: true");
        Path config = temp.resolve("config.yml");
        int port = CrashSafetyIT.freePort();
        CrashHarness.writeConfig(config, port, storage.toString(), false);
        try (ServerProcess server = new ServerProcess(config, temp.resolve("logs"), port);
             S3Driver audit = S3Driver.create(S3DriverSettings.fromParameters(parameters))) {
            new CrashHarness(server, Long.getLong("crash.seed", System.nanoTime())).run("s3",
                    Integer.getInteger("crash.s3kills", 6), audit, () -> {
                        try {
                            CrashHarness.writeConfig(config, port, storage.toString(), true);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
        }
    }
}
