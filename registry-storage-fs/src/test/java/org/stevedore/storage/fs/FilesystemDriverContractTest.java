package org.stevedore.storage.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.stevedore.storage.StorageDriver;
import org.stevedore.storage.tck.StorageDriverContract;

/** The shared storage contract, on the filesystem driver in a fresh directory per test. */
class FilesystemDriverContractTest extends StorageDriverContract {

    @TempDir
    Path root;

    @Override
    protected StorageDriver newDriver() {
        return FilesystemDriver.at(root);
    }

    /**
     * The contract's leak check sees only what {@code list} shows, and the driver hides its
     * temporary files from that; the disk shows everything, so check it once more there.
     */
    @Override
    protected void closeDriver(StorageDriver driver) throws IOException {
        try (Stream<Path> left = Files.walk(root)) {
            assertEquals(List.of(root), left.toList(), "nothing but the root is left on disk");
        }
    }
}
