package org.stevedore.storage.fs;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.http.FleetCollectionScenario;
import org.stevedore.storage.StorageDriver;

/** Three registries over one shared directory, each collecting online; see {@link FleetCollectionScenario}. */
class FilesystemFleetCollectionTest extends FleetCollectionScenario {
    @TempDir
    Path shared;

    @Override
    protected StorageDriver newNodeDriver() {
        return FilesystemDriver.at(shared);
    }

    @Override
    protected Duration gracePeriod() {
        return Duration.ofSeconds(1);
    }
}
