package org.stevedore.launcher;

import java.io.IOException;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.fs.FilesystemDriver;
import org.stevedore.storage.fs.StorageRoot;
import org.stevedore.storage.memory.InMemoryDriver;

/** The storage driver a configuration's {@code storage} section names, for serve and the store commands alike. */
final class StorageDrivers {
    private StorageDrivers() {
    }

    /**
     * Opens the configured driver. A filesystem root is prepared as {@code serve} needs it (created,
     * and probed for writes unless the storage is read-only); a problem stops the caller with a
     * plain message ({@link StorageRoot}).
     */
    static StorageDriver open(StorageConfig storage, S3StorageFactory s3Factory) throws Exception {
        StorageConfig.Driver driver = storage.driver();
        if (driver instanceof StorageConfig.Driver.Filesystem fs) {
            try {
                return FilesystemDriver.at(StorageRoot.prepare(fs.root(), !storage.readOnly()));
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        if (driver instanceof StorageConfig.Driver.InMemory) return InMemoryDriver.create();
        StorageConfig.Driver.S3 s3 = (StorageConfig.Driver.S3) driver;
        return s3Factory.create(s3.parameters(), storage.redirectDisabled());
    }
}
