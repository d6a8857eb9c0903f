package org.stevedore.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.stevedore.storage.StorageDriver;

/**
 * distribution's {@code health.storagedriver} check, made stricter: distribution only stats the
 * root, which passes on a read-only or full disk; this one writes a small file through the
 * driver, reads it back, compares and deletes it, so storage that cannot take pushes is
 * reported. The file lives outside distribution's {@code /docker} tree, so GC, catalog and
 * distribution's tools never see it; each process uses its own name.
 */
public final class StorageDriverCheck implements HealthCheck {
    private final StorageDriver driver;
    private final String path = "/stevedore-health/" + UUID.randomUUID();

    public StorageDriverCheck(StorageDriver driver) {
        this.driver = driver;
    }

    /** distribution's name for the check: {@code storagedriver_<driver name>}. */
    public static String name(StorageDriver driver) {
        return "storagedriver_" + driver.name();
    }

    @Override
    public void check() throws IOException {
        byte[] probe = ("health " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        try {
            driver.writeSmall(path, probe);
            byte[] read = driver.readSmall(path, 1024);
            if (!Arrays.equals(probe, read)) throw new IOException("read back different bytes than written");
            driver.delete(path);
        } catch (IOException | RuntimeException e) {
            // What clients see (the 503 and /debug/health) says what failed, not where: paths and
            // exception names stay in the cause, which the server log shows.
            throw new IOException(driver.name() + " storage cannot be written, read back and deleted;"
                    + " the server log has the cause", e);
        }
    }
}
