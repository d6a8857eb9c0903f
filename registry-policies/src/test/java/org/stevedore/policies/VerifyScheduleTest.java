package org.stevedore.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.registry.Registry;
import org.stevedore.registry.fixtures.ImageSpec;
import org.stevedore.registry.fixtures.PushedImage;
import org.stevedore.storage.fs.FilesystemDriver;

/**
 * The periodic online verify finds planted damage and counts it for the metric; periodic
 * policy work runs on one node of the fleet per interval, through a lease in storage.
 */
class VerifyScheduleTest {
    @TempDir
    Path root;

    @Test
    void theOnlineVerifyFindsACorruptBlobAndCountsIt() throws Exception {
        try (Registry registry = Registry.builder().storage(FilesystemDriver.at(root)).start();
             VerifySchedule verify = new VerifySchedule(Duration.ofMillis(100), Clock.systemUTC())) {
            PushedImage app = registry.fixtures().pushImage("team/app", "v1", ImageSpec.layers(3000).seed(1));
            var layer = app.layers().get(0);
            Files.write(root.resolve("docker/registry/v2/blobs/sha256/" + layer.encoded().substring(0, 2) + "/"
                    + layer.encoded() + "/data"), new byte[] {1, 2, 3});

            verify.start(registry.service());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (verify.runs() == 0 && System.nanoTime() < deadline) Thread.sleep(20);

            assertTrue(verify.runs() >= 1, "verify ran");
            assertEquals(1, verify.findings());
            assertTrue(Files.isDirectory(root.resolve("docker/registry/v2/stevedore/verify/leases")), "through its lease");
        }
    }

    @Test
    void aJobOneNodeJustRanIsSkippedByTheOthersUntilItsIntervalPasses() throws Exception {
        FilesystemDriver nodeA = FilesystemDriver.at(root);
        FilesystemDriver nodeB = FilesystemDriver.at(root);
        Duration interval = Duration.ofHours(1);
        AtomicInteger runs = new AtomicInteger();

        assertTrue(new FleetOnce(nodeA, "retention", interval, Clock.systemUTC()).run(runs::incrementAndGet));
        assertFalse(new FleetOnce(nodeB, "retention", interval, Clock.systemUTC()).run(runs::incrementAndGet));
        assertTrue(new FleetOnce(nodeB, "verify", interval, Clock.systemUTC()).run(runs::incrementAndGet),
                "each job has a lease of its own");
        Clock later = Clock.offset(Clock.systemUTC(), interval);
        assertTrue(new FleetOnce(nodeB, "retention", interval, later).run(runs::incrementAndGet), "due again");
        assertEquals(3, runs.get());
    }
}
