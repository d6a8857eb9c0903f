package org.stevedore.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.auth.AuthConfigurations;
import org.stevedore.auth.htpasswd.Bcrypt;
import org.stevedore.copy.CopyOptions;
import org.stevedore.copy.Credentials;
import org.stevedore.copy.ImageCopy;
import org.stevedore.copy.Retry;
import org.stevedore.model.Digest;
import org.stevedore.registry.FaultMatch;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.Platform;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.registry.fixtures.PushedIndex;

/**
 * {@code ImageCopy} between Stevedore and docker-registry 2.8.2, both with htpasswd, in both
 * directions: an image through injected 429s and dropped connections, and an index with all
 * its platforms, arriving back with the exact digests.
 */
class CopyDistributionIT {
    private static final Credentials CI = new Credentials("ci", "ci pw");

    @TempDir
    Path work;

    @Test
    void imageAndIndexGoToDistributionAndBackWithTheirDigests() throws Exception {
        Path htpasswd = Files.writeString(work.resolve("htpasswd"), "ci:" + Bcrypt.hash(CI.password(), 5) + "\n");
        CopyOptions options = CopyOptions.DEFAULT.withAuth(Optional.of(CI), Optional.of(CI))
                .withRetry(new Retry(4, Duration.ofMillis(50), Duration.ofSeconds(2)));
        try (Registry stevedore = Registry.builder()
                .accessController(AuthConfigurations.htpasswd(htpasswd, "Stevedore", Optional.empty())).start();
             DistributionProcess distribution = DistributionProcess.start(work.resolve("store"), work.resolve("dist"),
                     "auth:\n  htpasswd:\n    realm: distribution\n    path: " + htpasswd + "\n")) {
            PushedImage image = stevedore.fixtures().pushImage("src/app", "1", ImageSpec.layers(1 << 20, 5000).seed(5));
            PushedIndex index = stevedore.fixtures().pushIndex("src/multi", "1", ImageSpec.layers(3000).seed(6),
                    Platform.LINUX_AMD64, Platform.LINUX_ARM64);
            stevedore.faults().rateLimitNext(2, FaultMatch.any().method("GET").route(FaultMatch.Route.BLOB), Duration.ZERO)
                    .disconnectNext(1, FaultMatch.any().method("GET").route(FaultMatch.Route.BLOB));

            String there = "docker://" + distribution.hostPort();
            String here = "docker://" + stevedore.hostPort();
            assertEquals(image.manifest(), ImageCopy.copy(here + "/src/app:1", there + "/dist/app:1", options).digest());
            assertEquals(3, stevedore.faults().triggered(), "two 429s and a dropped connection were retried");
            assertEquals(index.index(), ImageCopy.copy(here + "/src/multi:1", there + "/dist/multi:1",
                    options.withAll(true)).digest());

            assertEquals(image.manifest(), ImageCopy.copy(there + "/dist/app:1", here + "/back/app:1", options).digest());
            assertArrayEquals(image.manifestBytes(), stevedore.contents().manifest("back/app", "1").orElseThrow().bytes());
            for (Digest layer : image.layers()) assertTrue(stevedore.contents().hasBlob("back/app", layer));
            assertEquals(index.index(), ImageCopy.copy(there + "/dist/multi:1", here + "/back/multi:1",
                    options.withAll(true)).digest());
            for (PushedImage platform : index.images()) {
                assertTrue(stevedore.contents().manifest("back/multi", platform.manifest().toString()).isPresent());
            }
        }
    }
}
