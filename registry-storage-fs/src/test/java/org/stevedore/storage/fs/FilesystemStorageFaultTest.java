package org.stevedore.storage.fs;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.tck.StorageFaultContract;

/** The registry over a failing filesystem driver, in a fresh directory per seed. */
class FilesystemStorageFaultTest extends StorageFaultContract {
    @TempDir
    Path temp;
    private int drivers;

    @Override
    protected StorageDriver newDriver() {
        return FilesystemDriver.at(temp.resolve("seed-" + ++drivers));
    }

    @Override
    protected int defaultSeeds() {
        return 12;
    }
}
