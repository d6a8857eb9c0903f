package org.stevedore.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.fs.FilesystemDriver;
import org.stevedore.storage.memory.InMemoryDriver;

/** The storage driver a configuration's {@code storage} section names, for serve and the store commands alike. */
final class StorageDrivers {
    private StorageDrivers() {
    }

    static StorageDriver open(StorageConfig storage, S3StorageFactory s3Factory) throws Exception {
        StorageConfig.Driver driver = storage.driver();
        if (driver instanceof StorageConfig.Driver.Filesystem fs) {
            Path root = fs.root().toAbsolutePath().normalize();
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create storage root " + root + ": " + e, e);
            }
            return FilesystemDriver.at(root);
        }
        if (driver instanceof StorageConfig.Driver.InMemory) return InMemoryDriver.create();
        StorageConfig.Driver.S3 s3 = (StorageConfig.Driver.S3) driver;
        return s3Factory.create(s3.parameters(), storage.redirectDisabled());
    }
}
